package conn

import (
	"database/sql"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

type planBase struct {
	ID      int64 `db:"id"`
	Created time.Time
}

type planRow struct {
	planBase
	Name     string `db:"name"`
	UserName string // untagged: takes user_name, USERNAME, UserName
	Skip     string `db:"-"`
	hidden   int    //nolint:unused // unexported and untagged: never a column's
}

type planBadTag struct {
	secret int `db:"secret"` //nolint:unused // tagged but unexported: an error
}

// TestScanPlanCached: a type is analysed once, and a column list once per type; looking a
// known plan up allocates nothing.
func TestScanPlanCached(t *testing.T) {
	rt := rowTypeOf(reflect.TypeFor[planRow]())
	if rowTypeOf(reflect.TypeFor[planRow]()) != rt {
		t.Fatal("the type was analysed twice")
	}
	cols := []string{"name", "ID", "user_name", "created"}
	p1, err := rt.plan(cols)
	if err != nil {
		t.Fatal(err)
	}
	same := append([]string(nil), cols...) // equal names, another slice (a new result)
	if p2, _ := rt.plan(same); p2 != p1 {
		t.Error("the same column list was planned twice")
	}
	other, err := rt.plan([]string{"USERNAME"})
	if err != nil || other == p1 {
		t.Fatalf("another column list: %v, %v", other, err)
	}
	if p3, _ := rt.plan(cols); p3 != p1 {
		t.Error("switching back to the first column list planned it again")
	}
	if n := testing.AllocsPerRun(100, func() { rt.plan(same) }); n != 0 {
		t.Errorf("looking up a cached plan allocates %v times", n)
	}
	wantOff := []uintptr{
		reflect.TypeFor[planRow]().Field(1).Offset, 0,
		reflect.TypeFor[planRow]().Field(2).Offset, reflect.TypeFor[planBase]().Field(1).Offset,
	}
	for i, off := range wantOff {
		if p1.offsets[i] != off {
			t.Errorf("column %s at offset %d, want %d (%s)", cols[i], p1.offsets[i], off, p1.names[i])
		}
	}
	if _, err := rt.plan([]string{"skip"}); !errors.Is(err, ErrNoField) {
		t.Errorf(`db:"-" field took a column: %v`, err)
	}
	if _, err := rt.plan([]string{"hidden"}); !errors.Is(err, ErrNoField) {
		t.Errorf("unexported field took a column: %v", err)
	}
	_, err = rowTypeOf(reflect.TypeFor[planBadTag]()).plan([]string{"secret"})
	if err == nil || !strings.Contains(err.Error(), "field secret has a db tag but is unexported") {
		t.Errorf("tagged unexported field: %v", err)
	}
}

func TestRowKinds(t *testing.T) {
	for typ, want := range map[reflect.Type]rowKind{
		reflect.TypeFor[planRow]():        rowStruct,
		reflect.TypeFor[*planRow]():       rowStructPtr,
		reflect.TypeFor[int64]():          rowScalar,
		reflect.TypeFor[*string]():        rowScalar,
		reflect.TypeFor[time.Time]():      rowScalar, // a struct that scans whole
		reflect.TypeFor[*time.Time]():     rowScalar,
		reflect.TypeFor[[]byte]():         rowScalar,
		reflect.TypeFor[sql.NullString](): rowScalar, // a sql.Scanner scans whole
	} {
		if got := rowTypeOf(typ).kind; got != want {
			t.Errorf("%s: kind %d, want %d", typ, got, want)
		}
	}
}
