package conn_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
)

type Stamped struct {
	ID        int64     `db:"id"`
	CreatedAt time.Time // untagged: takes created_at
}

type Person struct {
	Stamped
	Name   string  `db:"name"`
	Email  *string `db:"email"`
	Active bool    `db:"active"`
	Score  float64 `db:"score"`
	note   string  //nolint:unused // unexported and untagged: ignored
}

// peopleDB makes a people table with three rows, one with a NULL email.
func peopleDB(t *testing.T, tdb *testcontainers.Database) *conn.DB {
	db := openT(t, tdb)
	mustExec(t, db, ddl(db,
		`CREATE TABLE people (id bigint PRIMARY KEY, name text NOT NULL, email text, active boolean NOT NULL, score double precision NOT NULL, created_at timestamptz NOT NULL)`,
		`CREATE TABLE people (id bigint PRIMARY KEY, name varchar(100) NOT NULL, email varchar(100), active boolean NOT NULL, score double NOT NULL, created_at datetime(6) NOT NULL)`,
		`CREATE TABLE people (id integer PRIMARY KEY, name text NOT NULL, email text, active boolean NOT NULL, score real NOT NULL, created_at datetime NOT NULL)`))
	at := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	for i, name := range []string{"ann", "bob", "cy"} {
		var email any = name + "@example.com"
		if name == "bob" {
			email = nil
		}
		mustExec(t, db, string(q(db, "INSERT INTO people (id, name, email, active, score, created_at) VALUES (?, ?, ?, ?, ?, ?)")),
			i+1, name, email, i != 1, float64(i)+0.5, at.Add(time.Duration(i)*time.Hour))
	}
	return db
}

const peopleCols = "SELECT id, name, email, active, score, created_at FROM people"

func TestFetchStructs(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		db := peopleDB(t, tdb)

		all, err := conn.All[Person](ctx, db, conn.SQL(peopleCols+" ORDER BY id"))
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 3 {
			t.Fatalf("All returned %d rows, want 3", len(all))
		}
		ann, bob := all[0], all[1]
		if ann.ID != 1 || ann.Name != "ann" || ann.Email == nil || *ann.Email != "ann@example.com" || !ann.Active || ann.Score != 0.5 {
			t.Errorf("first row = %+v", ann)
		}
		if want := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC); !ann.CreatedAt.Equal(want) {
			t.Errorf("created_at = %v, want %v (embedded, untagged field)", ann.CreatedAt, want)
		}
		if bob.Email != nil || bob.Active {
			t.Errorf("second row = %+v; want a nil Email for NULL and Active false", bob)
		}
		if all[2].Email == ann.Email || all[2].Email == nil {
			t.Errorf("rows share a pointer: the reused row leaked into the next")
		}

		ptrs, err := conn.All[*Person](ctx, db, conn.SQL(peopleCols+" ORDER BY id DESC"))
		if err != nil {
			t.Fatal(err)
		}
		if len(ptrs) != 3 || ptrs[0].Name != "cy" || ptrs[2].Name != "ann" || ptrs[0] == ptrs[1] {
			t.Errorf("All[*Person] = %v", ptrs)
		}

		// The same type with another column list, in another order: a second plan.
		few, err := conn.All[Person](ctx, db, conn.SQL("SELECT name, id FROM people ORDER BY id"))
		if err != nil || len(few) != 3 || few[1].Name != "bob" || few[1].ID != 2 || few[1].Score != 0 {
			t.Errorf("All with two columns = %+v, %v", few, err)
		}

		one, err := conn.One[Person](ctx, db, q(db, peopleCols+" WHERE id = ?"), 3)
		if err != nil || one.Name != "cy" {
			t.Errorf("One = %+v, %v", one, err)
		}
		_, err = conn.One[Person](ctx, db, q(db, peopleCols+" WHERE id = ?"), 99)
		if !errors.Is(err, conn.ErrNoRows) {
			t.Errorf("One with no row: %v; want ErrNoRows", err)
		}
		_, err = conn.One[*Person](ctx, db, conn.SQL(peopleCols))
		if !errors.Is(err, conn.ErrTooManyRows) {
			t.Errorf("One with three rows: %v; want ErrTooManyRows", err)
		}
		empty, err := conn.All[Person](ctx, db, q(db, peopleCols+" WHERE id > ?"), 99)
		if err != nil || empty == nil || len(empty) != 0 {
			t.Errorf("All with no rows = %#v, %v; want an empty, non-nil slice", empty, err)
		}
		if s := db.Stats(); s.InUse != 0 {
			t.Errorf("%d connections still in use after the fetches", s.InUse)
		}
	})
}

func TestFetchScalars(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		db := peopleDB(t, tdb)

		n, err := conn.Scalar[int64](ctx, db, conn.SQL("SELECT count(*) FROM people"))
		if err != nil || n != 3 {
			t.Errorf("Scalar count = %d, %v", n, err)
		}
		names, err := conn.All[string](ctx, db, conn.SQL("SELECT name FROM people ORDER BY name"))
		if err != nil || !slices.Equal(names, []string{"ann", "bob", "cy"}) {
			t.Errorf("All[string] = %v, %v", names, err)
		}
		emails, err := conn.All[*string](ctx, db, conn.SQL("SELECT email FROM people ORDER BY id"))
		if err != nil || len(emails) != 3 || emails[1] != nil || *emails[2] != "cy@example.com" {
			t.Errorf("All[*string] = %v, %v", emails, err)
		}
		email, err := conn.Scalar[*string](ctx, db, q(db, "SELECT email FROM people WHERE id = ?"), 2)
		if err != nil || email != nil {
			t.Errorf("Scalar[*string] of NULL = %v, %v", email, err)
		}
		when, err := conn.Scalar[time.Time](ctx, db, q(db, "SELECT created_at FROM people WHERE id = ?"), 1)
		if err != nil || when.Hour() != 7 {
			t.Errorf("Scalar[time.Time] = %v, %v", when, err)
		}
		if _, err := conn.Scalar[int64](ctx, db, q(db, "SELECT id FROM people WHERE id > ?"), 99); !errors.Is(err, conn.ErrNoRows) {
			t.Errorf("Scalar with no row: %v; want ErrNoRows", err)
		}
		if _, err := conn.Scalar[int64](ctx, db, conn.SQL("SELECT id FROM people")); !errors.Is(err, conn.ErrTooManyRows) {
			t.Errorf("Scalar with three rows: %v; want ErrTooManyRows", err)
		}
		_, err = conn.Scalar[int64](ctx, db, conn.SQL("SELECT id, name FROM people"))
		if err == nil || !strings.Contains(err.Error(), "one column") || !strings.Contains(err.Error(), "id, name") {
			t.Errorf("Scalar of two columns: %v; want an error naming them", err)
		}
		_, err = conn.All[int64](ctx, db, conn.SQL("SELECT id, name FROM people"))
		if err == nil || !strings.Contains(err.Error(), "takes one column") {
			t.Errorf("All[int64] of two columns: %v", err)
		}
		_, err = conn.All[Person](ctx, db, conn.SQL("DELETE FROM people WHERE id = 99"))
		if err == nil || !strings.Contains(err.Error(), "returned no columns") {
			t.Errorf("All of a DELETE: %v", err)
		}
		_, err = conn.Scalar[int64](ctx, db, conn.SQL("SELECT 1 FROM people WHERE nope = 1"))
		if !errors.Is(err, conn.ErrProgramming) {
			t.Errorf("Scalar of a failing statement: %v; want its error, ErrProgramming", err)
		}
	})
}

type strictPerson struct {
	ID    int64  `db:"id"`
	Email string `db:"email"` // not a pointer: NULL does not fit
}

type twoIDs struct {
	A struct {
		ID int64 `db:"id"`
	}
}

type ambiguous struct {
	left
	right
}
type left struct {
	ID int64 `db:"id"`
}
type right struct {
	ID int64 `db:"id"`
}

type embeddedPtr struct {
	*Stamped
	Name string `db:"name"`
}

func TestFetchErrorsNameTheColumn(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		db := peopleDB(t, tdb)

		_, err := conn.All[strictPerson](ctx, db, conn.SQL("SELECT id, name FROM people"))
		var se *conn.ScanError
		if !errors.As(err, &se) || se.Column != "name" || !errors.Is(err, conn.ErrNoField) || !strings.Contains(err.Error(), "strictPerson") {
			t.Errorf("column with no field: %v; want a ScanError naming column name and the type", err)
		}

		_, err = conn.All[strictPerson](ctx, db, conn.SQL("SELECT id, email FROM people ORDER BY id"))
		if !errors.As(err, &se) || se.Column != "email" || se.Field != "strictPerson.Email" || se.Type != "string" {
			t.Errorf("NULL into string: %v (%+v); want a ScanError naming column email and field strictPerson.Email", err, se)
		}
		t.Log(err)

		_, err = conn.All[strictPerson](ctx, db, conn.SQL("SELECT id, name AS email FROM people UNION ALL SELECT 'x', 'y' FROM people"))
		if err == nil {
			t.Error("text into an int64 field scanned without error")
		} else if engine(db) != "postgres" { // PostgreSQL refuses the UNION itself
			if !errors.As(err, &se) || se.Column != "id" {
				t.Errorf("text into int64: %v; want a ScanError naming column id", err)
			}
		}

		_, err = conn.Scalar[int64](ctx, db, conn.SQL("SELECT name FROM people WHERE id = 1"))
		if !errors.As(err, &se) || se.Column != "name" || se.Type != "int64" {
			t.Errorf("text into Scalar[int64]: %v; want a ScanError naming column name and int64", err)
		}

		_, err = conn.All[ambiguous](ctx, db, conn.SQL("SELECT id FROM people"))
		if !errors.Is(err, conn.ErrNoField) || !strings.Contains(err.Error(), "ambiguous.left.ID and ambiguous.right.ID") {
			t.Errorf("ambiguous embedded fields: %v", err)
		}
		_, err = conn.All[twoIDs](ctx, db, conn.SQL("SELECT id FROM people"))
		if !errors.Is(err, conn.ErrNoField) {
			t.Errorf("a named struct field is not embedded, its fields take no columns: %v", err)
		}
		_, err = conn.All[Person](ctx, db, conn.SQL("SELECT id, id FROM people"))
		if err == nil || !strings.Contains(err.Error(), "both map to") {
			t.Errorf("duplicate column: %v", err)
		}
		_, err = conn.All[embeddedPtr](ctx, db, conn.SQL("SELECT name FROM people"))
		if err == nil || !strings.Contains(err.Error(), "embed conn_test.Stamped by value") {
			t.Errorf("embedded pointer: %v", err)
		}
		if s := db.Stats(); s.InUse != 0 {
			t.Errorf("%d connections still in use after failed fetches", s.InUse)
		}
	})
}

func TestEach(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		db := peopleDB(t, tdb)
		var names []string
		for p, err := range conn.Each[Person](ctx, db, conn.SQL(peopleCols+" ORDER BY id")) {
			if err != nil {
				t.Fatal(err)
			}
			names = append(names, p.Name)
		}
		if !slices.Equal(names, []string{"ann", "bob", "cy"}) {
			t.Errorf("Each yielded %v", names)
		}
		for p, err := range conn.Each[*Person](ctx, db, conn.SQL(peopleCols+" ORDER BY id")) {
			if err != nil || p.Name != "ann" {
				t.Fatalf("first row %v, %v", p, err)
			}
			break // closes the result
		}
		if s := db.Stats(); s.InUse != 0 {
			t.Errorf("breaking out of Each left %d connections in use", s.InUse)
		}
		var errs []error
		for _, err := range conn.Each[Person](ctx, db, conn.SQL("SELECT nope FROM people")) {
			errs = append(errs, err)
		}
		if len(errs) != 1 || !errors.Is(errs[0], conn.ErrProgramming) {
			t.Errorf("Each of a bad statement yielded %v; want one ErrProgramming", errs)
		}
		errs = nil
		for _, err := range conn.Each[strictPerson](ctx, db, conn.SQL("SELECT id, email FROM people ORDER BY id")) {
			errs = append(errs, err)
		}
		if len(errs) != 2 || errs[0] != nil || errs[1] == nil {
			t.Errorf("Each over a NULL that does not fit yielded %v; want one row, then the error", errs)
		}
		if s := db.Stats(); s.InUse != 0 {
			t.Errorf("Each left %d connections in use", s.InUse)
		}
	})
}

// A NULL into a field that cannot hold one, and a column no field takes: each error names the
// column and the field.
func ExampleScanError() {
	ctx := context.Background()
	db := exampleDB(ctx) // users: ann with an e-mail, bob without
	defer db.Close()
	type strictUser struct {
		Name  string `db:"name"`
		Email string `db:"email"` // NULL needs *string or sql.NullString
	}
	_, err := conn.All[strictUser](ctx, db, conn.SQL("SELECT name, email FROM users ORDER BY id"))
	var se *conn.ScanError
	fmt.Println(errors.As(err, &se), se.Column, se.Field)
	fmt.Println(err)
	_, err = conn.All[strictUser](ctx, db, conn.SQL("SELECT name, email, id FROM users"))
	fmt.Println(errors.Is(err, conn.ErrNoField), err)
	// Output:
	// true email strictUser.Email
	// conn: column "email" into strictUser.Email (string): sql: Scan error on column index 1, name "email": converting NULL to string is unsupported
	// true conn: column "id": no field for column in conn_test.strictUser (tag a field db:"id", or leave the column out of the SELECT)
}

// TestFetchConcurrentShapes: fetches of one type with different column lists, from many
// goroutines at once, each get their own rows right (scanners and plans are shared per type).
func TestFetchConcurrentShapes(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		db := peopleDB(t, tdb)
		ctx := t.Context()
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Go(func() {
				for i := range 50 {
					if (g+i)%2 == 0 {
						ps, err := conn.All[Person](ctx, db, conn.SQL(peopleCols+" ORDER BY id"))
						if err != nil || len(ps) != 3 || ps[2].Name != "cy" || ps[2].Email == nil || ps[0].Score != 0.5 {
							t.Errorf("full rows: %+v, %v", ps, err)
							return
						}
					} else {
						p, err := conn.One[Person](ctx, db, conn.SQL("SELECT name, id FROM people WHERE id = 2"))
						if err != nil || p.Name != "bob" || p.ID != 2 || p.Email != nil || p.Score != 0 {
							t.Errorf("two columns: %+v, %v", p, err)
							return
						}
					}
				}
			})
		}
		wg.Wait()
	})
}

type idName struct {
	ID   int64  `db:"id"`
	Name string `db:"name"`
}

// TestFetchReusedScannerStartsClean: a fetch reuses the scanner (result set, plan, value) the
// last fetch of its type left in the pool, so each one must see its own columns and values,
// whatever the one before it did: another column order, an error before or during the scan,
// a Scalar of a shape One accepted, a result left open when an Each loop broke off.
func TestFetchReusedScannerStartsClean(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		db := peopleDB(t, tdb)
		byID := q(db, "SELECT id, name FROM people WHERE id = ?")
		swapped := q(db, "SELECT name, id FROM people WHERE id = ?")
		for i := range 3 {
			id := int64(i%3 + 1)
			a, err := conn.One[idName](ctx, db, byID, id)
			if err != nil || a.ID != id {
				t.Fatalf("id, name of %d: %+v, %v", id, a, err)
			}
			b, err := conn.One[idName](ctx, db, swapped, id)
			if err != nil || b != a {
				t.Fatalf("name, id of %d: %+v, %v; want %+v", id, b, err, a)
			}
		}
		// A failure after the shape was cached, then the cached shape again.
		var se *conn.ScanError
		_, err := conn.One[idName](ctx, db, conn.SQL("SELECT id, email AS name FROM people WHERE id = 2"))
		if !errors.As(err, &se) || se.Column != "name" || se.Field != "idName.Name" {
			t.Errorf("NULL into a string after a cached plan: %v; want a ScanError naming column name", err)
		}
		if _, err := conn.One[idName](ctx, db, conn.SQL("SELECT id, name FROM nope")); !errors.Is(err, conn.ErrProgramming) {
			t.Errorf("a failing statement: %v; want ErrProgramming", err)
		}
		if a, err := conn.One[idName](ctx, db, byID, 3); err != nil || a != (idName{3, "cy"}) {
			t.Errorf("after the failures: %+v, %v", a, err)
		}
		// Scalar checks the column count even when One set the scanner up for that shape.
		_, err = conn.Scalar[idName](ctx, db, byID, 1)
		if err == nil || !strings.Contains(err.Error(), "one column") {
			t.Errorf("Scalar of the two columns One took: %v; want an error", err)
		}
		for p, err := range conn.Each[idName](ctx, db, conn.SQL("SELECT id, name FROM people ORDER BY id")) {
			if err != nil || p.ID != 1 {
				t.Fatalf("first row %+v, %v", p, err)
			}
			break
		}
		all, err := conn.All[idName](ctx, db, conn.SQL("SELECT id, name FROM people ORDER BY id"))
		if err != nil || len(all) != 3 || all[2] != (idName{3, "cy"}) {
			t.Errorf("All after a broken-off Each: %+v, %v", all, err)
		}
		if s := db.Stats(); s.InUse != 0 {
			t.Errorf("%d connections in use after the fetches", s.InUse)
		}
	})
}

// TestFetchReleasesResultWithMoreResultSets: database/sql's Rows stay open after the last row
// when another result set follows (a MySQL procedure's results), so every way of reading one
// must still give its connection back.
func TestFetchReleasesResultWithMoreResultSets(t *testing.T) {
	db := openT(t, testcontainers.MySQL(t))
	ctx := t.Context()
	mustExec(t, db, "CREATE PROCEDURE two_results() BEGIN SELECT 1 AS n; SELECT 2 AS n; END")
	call := conn.SQL("CALL two_results()")
	if ns, err := conn.All[int64](ctx, db, call); err != nil || !slices.Equal(ns, []int64{1}) {
		t.Errorf("All: %v, %v; want the first result's rows", ns, err)
	}
	if n, err := conn.One[int64](ctx, db, call); err != nil || n != 1 {
		t.Errorf("One: %v, %v", n, err)
	}
	for n, err := range conn.Each[int64](ctx, db, call) {
		if err != nil || n != 1 {
			t.Errorf("Each: %v, %v", n, err)
		}
	}
	rows, err := db.Query(ctx, call)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
	}
	if err := rows.Err(); err != nil {
		t.Error(err)
	}
	if s := db.Stats(); s.InUse != 0 {
		t.Errorf("%d connections in use after reading results to their end", s.InUse)
	}
}
