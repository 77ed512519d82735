package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/conn/postgres"
	_ "github.com/typedsql/typedsql/conn/sqlite"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/testcontainers"
)

type copyItemsTable struct {
	expr.Table
	ID      expr.Column[int64]      `db:"id"`
	Name    expr.Column[string]     `db:"name"`
	Note    expr.Nullable[string]   `db:"note"`
	Price   expr.Column[float64]    `db:"price"`
	Created expr.Column[time.Time]  `db:"created"`
	Data    expr.Nullable[[]byte]   `db:"data"`
	Tags    expr.Nullable[[]string] `db:"tags"`
	Active  expr.Column[bool]       `db:"active"`
}

var copyItems = expr.NewTable[copyItemsTable]("copy_items")

func copyDB(t *testing.T) *conn.DB {
	t.Helper()
	ctx := t.Context()
	db, err := conn.Open(ctx, testcontainers.Postgres(t).URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	_, err = db.Exec(ctx, conn.SQL(`CREATE TABLE copy_items (id bigint PRIMARY KEY, name text NOT NULL, note text,
		price numeric(10,2) NOT NULL DEFAULT 0, created timestamptz NOT NULL, data bytea, tags text[], active boolean NOT NULL)`))
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func copyRows(first, n int) *builder.InsertStmt {
	C := copyItems
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	ins := builder.InsertInto(C)
	for i := first; i < first+n; i++ {
		note := C.Note.Set(fmt.Sprint("note ", i))
		if i%2 == 1 {
			note = C.Note.SetNull()
		}
		ins.Values(C.ID.Set(int64(i)), C.Name.Set(fmt.Sprint("item ", i)), note, C.Price.Set(float64(i)+0.25),
			C.Created.Set(at.Add(time.Duration(i)*time.Second)), C.Data.Set([]byte{0, byte(i)}),
			C.Tags.Set([]string{"a", fmt.Sprint(i)}), C.Active.Set(i%3 == 0))
	}
	return ins
}

// TestCopyFrom: typed rows load with COPY, every value round-trips, and a failure loads none.
func TestCopyFrom(t *testing.T) {
	ctx := t.Context()
	db := copyDB(t)
	n, err := postgres.CopyFrom(ctx, db, copyRows(0, 10000))
	if err != nil {
		t.Fatal(err)
	}
	if n != 10000 {
		t.Fatalf("CopyFrom loaded %d rows, want 10000", n)
	}
	C := copyItems
	got, err := conn.All[copyItem](ctx, db, builder.Select(C.ID, C.Name, C.Note, C.Price, C.Created, C.Data, C.Tags, C.Active).
		From(C).Where(C.ID.EqAny([]int64{7, 8})).OrderBy(C.ID.Asc()))
	if err != nil {
		t.Fatal(err)
	}
	note := "note 8"
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	want := []copyItem{
		{7, "item 7", nil, 7.25, at.Add(7 * time.Second), []byte{0, 7}, []string{"a", "7"}, false},
		{8, "item 8", &note, 8.25, at.Add(8 * time.Second), []byte{0, 8}, []string{"a", "8"}, false},
	}
	for i := range got {
		got[i].Created = got[i].Created.UTC()
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows\n got %+v\nwant %+v", got, want)
	}

	// A duplicate key fails the whole COPY: nothing of it stays.
	_, err = postgres.CopyFrom(ctx, db, copyRows(9999, 100))
	if !errors.Is(err, conn.ErrIntegrity) {
		t.Errorf("duplicate: %v; want ErrIntegrity", err)
	}
	if c, _ := conn.Scalar[int64](ctx, db, builder.Select(expr.Count(C.ID)).From(C)); c != 10000 {
		t.Errorf("%d rows after the failed COPY, want 10000", c)
	}
}

// TestCopyFromInBlock: inside an Atomic block, COPY runs on the block's connection and
// rolls back with it; the block sees its rows before it ends.
func TestCopyFromInBlock(t *testing.T) {
	ctx := t.Context()
	db := copyDB(t)
	C := copyItems
	errUndo := errors.New("undo")
	err := db.Atomic(ctx, func(ctx context.Context) error {
		if _, err := postgres.CopyFrom(ctx, db, copyRows(0, 500)); err != nil {
			return err
		}
		n, err := conn.Scalar[int64](ctx, db, builder.Select(expr.Count(C.ID)).From(C))
		if err != nil {
			return err
		}
		if n != 500 {
			return fmt.Errorf("the block sees %d rows, want 500", n)
		}
		return errUndo
	})
	if !errors.Is(err, errUndo) {
		t.Fatal(err)
	}
	if n, _ := conn.Scalar[int64](ctx, db, builder.Select(expr.Count(C.ID)).From(C)); n != 0 {
		t.Errorf("%d rows after the rolled-back block, want 0", n)
	}
	// Committed, they stay.
	err = db.Atomic(ctx, func(ctx context.Context) error {
		_, err := postgres.CopyFrom(ctx, db, copyRows(0, 500))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := conn.Scalar[int64](ctx, db, builder.Select(expr.Count(C.ID)).From(C)); n != 500 {
		t.Errorf("%d rows after the committed block, want 500", n)
	}
}

// TestCopyFromRefuses: what COPY cannot do is an error naming it, before anything is sent.
func TestCopyFromRefuses(t *testing.T) {
	ctx := t.Context()
	db := copyDB(t)
	C := copyItems
	row := func() *builder.InsertStmt { return copyRows(1, 1) }
	for name, tc := range map[string]struct {
		rows *builder.InsertStmt
		want string
	}{
		"expression": {builder.InsertInto(C).Values(C.ID.Set(1), C.Name.SetExpr(expr.Val("x")), C.Created.Set(time.Now()), C.Active.Set(true)), `column "name": only values`},
		"default":    {builder.InsertInto(C).Values(C.ID.Set(1), C.Name.Set("x"), C.Price.SetDefault(), C.Created.Set(time.Now()), C.Active.Set(true)), `column "price": only values`},
		"upsert":     {row().OnConflict(C.ID).DoNothing(), "upsert"},
		"returning":  {row().Returning(C.ID), "RETURNING"},
		"select":     {builder.InsertInto(C).FromSelect(builder.Select().From(C), C.ID.SetExpr(C.ID)), "INSERT ... SELECT"},
		"no rows":    {builder.InsertInto(C), "no VALUES rows"},
	} {
		_, err := postgres.CopyFrom(ctx, db, tc.rows)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v; want an error containing %q", name, err, tc.want)
		}
	}
	lite, err := conn.Open(ctx, "sqlite:///:memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	if _, err := postgres.CopyFrom(ctx, lite, row()); err == nil || !strings.Contains(err.Error(), "not PostgreSQL") {
		t.Errorf("CopyFrom on SQLite: %v", err)
	}
}
