package conn_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
)

type docAttrs struct {
	Color string   `json:"color"`
	Sizes []int    `json:"sizes"`
	Tags  []string `json:"tags,omitempty"`
}

// jsonDB makes a table with a JSON column (jsonb, json, and TEXT holding JSON on SQLite): a
// document, and a NULL.
func jsonDB(t *testing.T, tdb *testcontainers.Database) *conn.DB {
	db := openT(t, tdb)
	mustExecAll(t, db,
		ddl(db, `CREATE TABLE docs (id int PRIMARY KEY, doc jsonb)`, `CREATE TABLE docs (id int PRIMARY KEY, doc json)`, `CREATE TABLE docs (id int PRIMARY KEY, doc text)`),
		`INSERT INTO docs VALUES (1, '{"color":"red","sizes":[1,2]}'), (2, NULL)`)
	return db
}

// TestFetchJSON: a JSON column goes into a map, a struct, a slice, a json.RawMessage or a
// pointer to one the same way on every engine (pgx decodes it itself; the MySQL and SQLite
// drivers hand over bytes or text, which conn decodes), and NULL is the zero value.
func TestFetchJSON(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		db := jsonDB(t, tdb)
		const sel = "SELECT id, doc FROM docs ORDER BY id"

		type mapRow struct {
			ID  int64          `db:"id"`
			Doc map[string]any `db:"doc"`
		}
		maps, err := conn.All[mapRow](ctx, db, conn.SQL(sel))
		if err != nil {
			t.Fatal(err)
		}
		if len(maps) != 2 || maps[0].Doc["color"] != "red" || len(maps[0].Doc["sizes"].([]any)) != 2 || maps[1].Doc != nil {
			t.Errorf("maps = %+v", maps)
		}

		type structRow struct {
			ID  int64     `db:"id"`
			Doc *docAttrs `db:"doc"`
		}
		structs, err := conn.All[*structRow](ctx, db, conn.SQL(sel))
		if err != nil {
			t.Fatal(err)
		}
		if len(structs) != 2 || structs[0].Doc == nil || structs[0].Doc.Color != "red" || len(structs[0].Doc.Sizes) != 2 || structs[1].Doc != nil {
			t.Errorf("structs = %+v %+v", structs[0], structs[1])
		}

		type rawRow struct {
			ID  int64           `db:"id"`
			Doc json.RawMessage `db:"doc"`
		}
		raws, err := conn.All[rawRow](ctx, db, conn.SQL(sel))
		if err != nil {
			t.Fatal(err)
		}
		var back docAttrs
		if len(raws) != 2 || json.Unmarshal(raws[0].Doc, &back) != nil || back.Color != "red" || raws[1].Doc != nil {
			t.Errorf("raw = %q, %q", raws[0].Doc, raws[1].Doc)
		}

		sizes, err := conn.All[[]int](ctx, db, q(db, "SELECT "+ddl(db, "doc->'sizes'", "JSON_EXTRACT(doc, '$.sizes')", "json_extract(doc, '$.sizes')")+" FROM docs WHERE id = ?"), 1)
		if err != nil || len(sizes) != 1 || len(sizes[0]) != 2 || sizes[0][1] != 2 {
			t.Errorf("a JSON array into []int: %v, %v", sizes, err)
		}

		m, err := conn.Scalar[map[string]any](ctx, db, q(db, "SELECT doc FROM docs WHERE id = ?"), 1)
		if err != nil || m["color"] != "red" {
			t.Errorf("Scalar into a map: %v, %v", m, err)
		}

		// The scanner is reused: the second row's map must not keep the first row's keys.
		mustExec(t, db, `INSERT INTO docs VALUES (3, '{"tags":["a"]}')`)
		maps, err = conn.All[mapRow](ctx, db, conn.SQL("SELECT id, doc FROM docs WHERE id <> 2 ORDER BY id"))
		if err != nil || len(maps) != 2 || len(maps[1].Doc) != 1 {
			t.Errorf("rows share a map: %+v, %v", maps, err)
		}

		// In a nested struct held by a pointer: decoded into its cell, NULL a nil map.
		type nested struct {
			D *struct {
				ID  int64          `db:"id"`
				Doc map[string]any `db:"doc"`
			} `db:"d"`
		}
		nsel := `SELECT id AS "d.id", doc AS "d.doc" FROM docs WHERE id < 3 ORDER BY id`
		if engine(db) == "mysql" || engine(db) == "mariadb" {
			nsel = strings.ReplaceAll(nsel, `"`, "`")
		}
		ns, err := conn.All[nested](ctx, db, conn.SQL(nsel))
		if err != nil || len(ns) != 2 || ns[0].D == nil || ns[0].D.Doc["color"] != "red" || ns[1].D == nil || ns[1].D.Doc != nil {
			t.Errorf("nested: %+v, %v", ns, err)
		}

		type badRow struct {
			ID  int64    `db:"id"`
			Doc []string `db:"doc"` // an object into a slice
		}
		if _, err := conn.All[badRow](ctx, db, conn.SQL(sel)); err == nil {
			t.Error("a JSON object into a []string is not an error")
		}
	})
}
