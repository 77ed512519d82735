package dialect

import "reflect"

// Same reports whether a and b are one dialect, so that SQL rendered for one is SQL for the
// other: the same built-in dialect, or equal values of one type of the application's. A
// dialect that wraps another is a different dialect; so is one whose values cannot be compared
// (a type holding a slice or map), which is never equal to anything.
func Same(a, b Dialect) (same bool) {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if reflect.TypeOf(a) != reflect.TypeOf(b) {
		return false
	}
	defer func() {
		if recover() != nil { // == on an uncomparable dynamic value
			same = false
		}
	}()
	return a == b
}
