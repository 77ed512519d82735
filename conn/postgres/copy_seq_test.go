package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/conn/postgres"
	"github.com/typedsql/typedsql/expr"
)

// copyItem is a row of copy_items as an application holds it, and as conn.All reads it back.
type copyItem struct {
	ID      int64     `db:"id"`
	Name    string    `db:"name"`
	Note    *string   `db:"note"`
	Price   float64   `db:"price"`
	Created time.Time `db:"created"`
	Data    []byte    `db:"data"`
	Tags    []string  `db:"tags"`
	Active  bool      `db:"active"`
}

func makeCopyItems(first, n int) []copyItem {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	items := make([]copyItem, n)
	for k := range items {
		i := first + k
		var note *string
		if i%2 == 0 {
			s := fmt.Sprint("note ", i)
			note = &s
		}
		items[k] = copyItem{int64(i), fmt.Sprint("item ", i), note, float64(i) + 0.25,
			at.Add(time.Duration(i) * time.Second), []byte{0, byte(i)}, []string{"a", fmt.Sprint(i)}, i%3 == 0}
	}
	return items
}

// copyItemRow is the row function of CopyFromSeq for copyItem.
func copyItemRow(row []expr.Assignment, it copyItem) []expr.Assignment {
	C := copyItems
	note := C.Note.SetNull()
	if it.Note != nil {
		note = C.Note.Set(*it.Note)
	}
	return append(row, C.ID.Set(it.ID), C.Name.Set(it.Name), note, C.Price.Set(it.Price),
		C.Created.Set(it.Created), C.Data.Set(it.Data), C.Tags.Set(it.Tags), C.Active.Set(it.Active))
}

func readCopyItems(t *testing.T, ctx context.Context, db *conn.DB) []copyItem {
	t.Helper()
	C := copyItems
	got, err := conn.All[copyItem](ctx, db, builder.Select(C.ID, C.Name, C.Note, C.Price, C.Created, C.Data, C.Tags, C.Active).
		From(C).OrderBy(C.ID.Asc()))
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		got[i].Created = got[i].Created.UTC()
	}
	return got
}

// TestCopyFromSeq: structs stream through their typed assignments into COPY; every row
// reads back as it was, NULLs included; a failing COPY loads none.
func TestCopyFromSeq(t *testing.T) {
	ctx := t.Context()
	db := copyDB(t)
	items := makeCopyItems(0, 5000)
	n, err := postgres.CopyFromSeq(ctx, db, copyItems, slices.Values(items), copyItemRow)
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(len(items)) {
		t.Fatalf("CopyFromSeq loaded %d rows, want %d", n, len(items))
	}
	if got := readCopyItems(t, ctx, db); !reflect.DeepEqual(got, items) {
		for i := range min(len(got), len(items)) {
			if !reflect.DeepEqual(got[i], items[i]) {
				t.Fatalf("%d rows read back; row %d\n got %+v\nwant %+v", len(got), i, got[i], items[i])
			}
		}
		t.Fatalf("%d rows read back, want %d", len(got), len(items))
	}

	// A duplicate key fails the whole COPY: nothing of it stays.
	_, err = postgres.CopyFromSeq(ctx, db, copyItems, slices.Values(makeCopyItems(4999, 100)), copyItemRow)
	if !errors.Is(err, conn.ErrIntegrity) {
		t.Errorf("duplicate: %v; want ErrIntegrity", err)
	}
	if got := readCopyItems(t, ctx, db); len(got) != len(items) {
		t.Errorf("%d rows after the failed COPY, want %d", len(got), len(items))
	}

	// No rows: nothing loaded, nothing sent.
	n, err = postgres.CopyFromSeq(ctx, db, copyItems, slices.Values([]copyItem(nil)), copyItemRow)
	if n != 0 || err != nil {
		t.Errorf("no rows: %d, %v", n, err)
	}
}

// TestCopyFromSeqInBlock: inside an Atomic block the rows load in the block's transaction,
// seen by the block and rolled back with it.
func TestCopyFromSeqInBlock(t *testing.T) {
	ctx := t.Context()
	db := copyDB(t)
	items := makeCopyItems(0, 300)
	errUndo := errors.New("undo")
	err := db.Atomic(ctx, func(ctx context.Context) error {
		if _, err := postgres.CopyFromSeq(ctx, db, copyItems, slices.Values(items), copyItemRow); err != nil {
			return err
		}
		if got := readCopyItems(t, ctx, db); !reflect.DeepEqual(got, items) {
			return fmt.Errorf("the block reads %d rows back, not the %d loaded", len(got), len(items))
		}
		return errUndo
	})
	if !errors.Is(err, errUndo) {
		t.Fatal(err)
	}
	if got := readCopyItems(t, ctx, db); len(got) != 0 {
		t.Errorf("%d rows after the rolled-back block, want 0", len(got))
	}
}

// TestCopyFromSeqRefuses: a row COPY cannot load is an error naming its row and column, the
// rows already streamed are not kept, and the sequence is stopped (its loop ends).
func TestCopyFromSeqRefuses(t *testing.T) {
	ctx := t.Context()
	db := copyDB(t)
	C := copyItems
	at := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	good := func(i int) []expr.Assignment {
		return []expr.Assignment{C.ID.Set(int64(i)), C.Name.Set("x"), C.Created.Set(at), C.Active.Set(true)}
	}
	for name, tc := range map[string]struct {
		bad  func(row []expr.Assignment) []expr.Assignment // row 3 (and row 1 where said)
		row1 bool
		want string
	}{
		"expression":    {func(r []expr.Assignment) []expr.Assignment { r[1] = C.Name.SetExpr(expr.Val("y")); return r }, false, `row 3 column "name": only values`},
		"default":       {func(r []expr.Assignment) []expr.Assignment { r[1] = C.Name.SetDefault(); return r }, false, `row 3 column "name": only values`},
		"fewer columns": {func(r []expr.Assignment) []expr.Assignment { return r[:3] }, false, "row 3 assigns 3 columns, row 1 assigns 4"},
		"other column":  {func(r []expr.Assignment) []expr.Assignment { r[1] = C.Note.Set("y"); return r }, false, `row 3 assigns column "note" where row 1 assigns "name"`},
		"not the table": {func(r []expr.Assignment) []expr.Assignment { r[1] = Products.SKU.Set("y"); return r }, true, `"products.sku", not a column of the target "copy_items"`},
		"twice":         {func(r []expr.Assignment) []expr.Assignment { r[1] = C.ID.Set(9); return r }, true, `column "id" twice`},
		"no columns":    {func(r []expr.Assignment) []expr.Assignment { return r[:0] }, true, "row 1 assigns no columns"},
		"row 1 default": {func(r []expr.Assignment) []expr.Assignment { r[1] = C.Name.SetDefault(); return r }, true, `row 1 column "name": only values`},
	} {
		ended := false
		rows := func(yield func(int) bool) {
			defer func() { ended = true }()
			for i := 1; i <= 1000; i++ {
				if !yield(i) {
					return
				}
			}
		}
		n, err := postgres.CopyFromSeq(ctx, db, C, rows, func(dst []expr.Assignment, i int) []expr.Assignment {
			dst = append(dst, good(i)...)
			if i == 3 && !tc.row1 || i == 1 && tc.row1 {
				dst = tc.bad(dst)
			}
			return dst
		})
		if err == nil || !strings.Contains(err.Error(), tc.want) || n != 0 {
			t.Errorf("%s: %d, %v; want an error containing %q", name, n, err, tc.want)
		}
		if !ended {
			t.Errorf("%s: the sequence was not stopped", name)
		}
		if got := readCopyItems(t, ctx, db); len(got) != 0 {
			t.Errorf("%s: %d rows loaded", name, len(got))
		}
	}
	lite, err := conn.Open(ctx, "sqlite:///:memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	_, err = postgres.CopyFromSeq(ctx, lite, C, slices.Values(makeCopyItems(0, 2)), copyItemRow)
	if err == nil || !strings.Contains(err.Error(), "not PostgreSQL") {
		t.Errorf("CopyFromSeq on SQLite: %v", err)
	}
	var nilSeq iter.Seq[copyItem]
	if _, err := postgres.CopyFromSeq(ctx, db, C, nilSeq, copyItemRow); err == nil {
		t.Error("nil rows: no error")
	}
}

// TestCopyFromSeqPanic: a panic in the caller's row function, which runs on pgx's goroutine,
// reaches the caller of CopyFromSeq as the same panic; nothing is loaded and the DB goes on.
func TestCopyFromSeqPanic(t *testing.T) {
	ctx := t.Context()
	db := copyDB(t)
	type boom struct{ row int }
	func() {
		defer func() {
			if p := recover(); p != (boom{7}) {
				t.Errorf("recovered %v, want boom{7}", p)
			}
		}()
		postgres.CopyFromSeq(ctx, db, copyItems, slices.Values(makeCopyItems(0, 100)), func(dst []expr.Assignment, it copyItem) []expr.Assignment {
			if it.ID == 7 {
				panic(boom{7})
			}
			return copyItemRow(dst, it)
		})
		t.Error("CopyFromSeq returned")
	}()
	if got := readCopyItems(t, ctx, db); len(got) != 0 {
		t.Errorf("%d rows loaded", len(got))
	}
	if _, err := postgres.CopyFromSeq(ctx, db, copyItems, slices.Values(makeCopyItems(0, 10)), copyItemRow); err != nil {
		t.Errorf("after the panic: %v", err)
	}
}
