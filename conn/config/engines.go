package config

import (
	"fmt"
	"strings"

	"github.com/typedsql/typedsql/internal/engine"
)

// engineOf returns the adapter a URL scheme or adapter name stands for and its engine, as the
// engine packages registered them. An engine conn knows the package of but the program did
// not import is an error naming the package; a name no engine has is ("", nil, nil).
func engineOf(name string) (string, *engine.Engine, error) {
	if adapter, e, ok := engine.Scheme(name); ok {
		return adapter, e, nil
	}
	lower := strings.ToLower(name)
	if pkg := engine.Package(lower); pkg != "" {
		return "", nil, fmt.Errorf("conn: no %s engine is linked into this program: import _ %q", lower, pkg)
	}
	return "", nil, nil
}

// fileEngine reports whether the adapter's engine keeps its database in a file (SQLite).
func fileEngine(adapter string) bool {
	_, e, ok := engine.Scheme(adapter)
	return ok && e.File
}
