package conn_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/expr"
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

type productAttrs struct {
	Color string            `json:"color"`
	Dims  map[string]int    `json:"dims"`
	Tags  []string          `json:"tags"`
	Extra map[string]string `json:"extra,omitempty"`
}

type productsTable struct {
	expr.Table
	ID    expr.Column[int64]      `db:"id"`
	Name  expr.Column[string]     `db:"name"`
	Attrs expr.JSON[productAttrs] `db:"attrs"`
}

var products = expr.NewTable[productsTable]("products")

type product struct {
	ID    int64         `db:"id"`
	Name  string        `db:"name"`
	Attrs *productAttrs `db:"attrs"`
}

// TestJSONColumn: an expr.JSON column marshals on INSERT and UPDATE, scans back into its Go
// type, holds NULL, and its typed path accessors filter and select the same on every engine.
func TestJSONColumn(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		db := openT(t, tdb)
		mustExec(t, db, ddl(db,
			`CREATE TABLE products (id bigint PRIMARY KEY, name text NOT NULL, attrs jsonb)`,
			`CREATE TABLE products (id bigint PRIMARY KEY, name varchar(50) NOT NULL, attrs json)`,
			`CREATE TABLE products (id integer PRIMARY KEY, name text NOT NULL, attrs text)`))
		p := products
		ins := builder.InsertInto(p).
			Values(p.ID.Set(1), p.Name.Set("mug"), p.Attrs.Set(productAttrs{Color: "red", Dims: map[string]int{"h": 10, "w": 8}, Tags: []string{"kitchen"}})).
			Values(p.ID.Set(2), p.Name.Set("plate"), p.Attrs.Set(productAttrs{Color: "white", Dims: map[string]int{"h": 2, "w": 25}})).
			Values(p.ID.Set(3), p.Name.Set("gift card"), p.Attrs.SetNull())
		if _, err := db.Exec(ctx, ins); err != nil {
			t.Fatal(err)
		}

		all, err := conn.All[product](ctx, db, builder.Select(p.ID, p.Name, p.Attrs).From(p).OrderBy(p.ID.Asc()))
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 3 || all[0].Attrs == nil || all[0].Attrs.Color != "red" || all[0].Attrs.Dims["w"] != 8 ||
			len(all[0].Attrs.Tags) != 1 || all[1].Attrs.Tags != nil || all[2].Attrs != nil {
			t.Errorf("rows = %+v", all)
		}

		wide, err := conn.All[string](ctx, db, builder.Select(p.Name).From(p).
			Where(p.Attrs.Int("dims", "w").Gt(10)).OrderBy(p.ID.Asc()))
		if err != nil || len(wide) != 1 || wide[0] != "plate" {
			t.Errorf("Int path in WHERE: %v, %v", wide, err)
		}
		colors, err := conn.All[*string](ctx, db, builder.Select(p.Attrs.Text("color")).From(p).OrderBy(p.ID.Asc()))
		if err != nil || len(colors) != 3 || colors[0] == nil || *colors[0] != "red" || *colors[1] != "white" || colors[2] != nil {
			t.Errorf("Text path: %v, %v", colors, err)
		}
		missing, err := conn.Scalar[*string](ctx, db, builder.Select(p.Attrs.Text("nope")).From(p).Where(p.ID.Eq(1)))
		if err != nil || missing != nil {
			t.Errorf("a missing key: %v, %v", missing, err)
		}
		h, err := conn.Scalar[float64](ctx, db, builder.Select(p.Attrs.Float("dims", "h")).From(p).Where(p.ID.Eq(1)))
		if err != nil || h != 10 {
			t.Errorf("Float path: %v, %v", h, err)
		}
		named, err := conn.Scalar[string](ctx, db, builder.Select(p.Name).From(p).Where(p.Attrs.Text("color").Eq("white")))
		if err != nil || named != "plate" {
			t.Errorf("Text path in WHERE: %v, %v", named, err)
		}

		upd := builder.Update(p).Set(p.Attrs.Set(productAttrs{Color: "blue"})).Where(p.ID.Eq(3))
		if _, err := db.Exec(ctx, upd); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(ctx, builder.Update(p).Set(p.Attrs.SetNull()).Where(p.ID.Eq(1))); err != nil {
			t.Fatal(err)
		}
		nulls, err := conn.All[int64](ctx, db, builder.Select(p.ID).From(p).Where(p.Attrs.IsNull()))
		if err != nil || len(nulls) != 1 || nulls[0] != 1 {
			t.Errorf("IsNull after SetNull: %v, %v", nulls, err)
		}
		blue, err := conn.One[product](ctx, db, builder.Select(p.ID, p.Name, p.Attrs).From(p).Where(p.ID.Eq(3)))
		if err != nil || blue.Attrs == nil || blue.Attrs.Color != "blue" {
			t.Errorf("after UPDATE: %+v, %v", blue, err)
		}
	})
}
