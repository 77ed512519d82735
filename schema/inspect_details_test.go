package schema

import (
	"context"
	"reflect"
	"testing"

	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/testcontainers"
)

// TestInspectPostgresSchemas reads tables outside public: a partial expression index, a
// foreign key into another schema, a serial column, comments and a check.
func TestInspectPostgresSchemas(t *testing.T) {
	db := openDB(t, testcontainers.Postgres(t))
	exec(t, db,
		`CREATE SCHEMA shop`, `CREATE SCHEMA audit`,
		`CREATE TABLE audit.actors (id serial PRIMARY KEY, name varchar(80) NOT NULL)`,
		`CREATE TABLE shop.events (
			id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
			actor_id int REFERENCES audit.actors (id) ON DELETE SET NULL ON UPDATE CASCADE,
			kind text NOT NULL DEFAULT 'click' CONSTRAINT kind_known CHECK (kind IN ('click', 'view')),
			at timestamptz NOT NULL DEFAULT now(),
			deleted boolean NOT NULL DEFAULT false)`,
		`CREATE UNIQUE INDEX events_kind_lower ON shop.events (lower(kind), at) WHERE NOT deleted`,
		`COMMENT ON TABLE shop.events IS 'what happened'`,
		`COMMENT ON COLUMN shop.events.kind IS 'click or view'`,
		`CREATE TABLE public.events (only_here int)`, // same name, other schema: not mixed in
	)
	ctx := context.Background()
	ev, err := Inspect(ctx, db, "shop", "events")
	if err != nil {
		t.Fatal(err)
	}
	if ev.Schema != "shop" || ev.Comment != "what happened" || len(ev.Columns) != 5 {
		t.Fatalf("shop.events: %+v", ev)
	}
	kind, _ := ev.Column("kind")
	id, _ := ev.Column("id")
	if !id.Identity || kind.Comment != "click or view" || kind.Default != "'click'::text" || kind.Nullable {
		t.Errorf("columns: %+v", ev.Columns)
	}
	wantFK := []ForeignKey{{Name: "events_actor_id_fkey", Columns: []string{"actor_id"}, RefSchema: "audit",
		RefTable: "actors", RefColumns: []string{"id"}, OnDelete: SetNull, OnUpdate: Cascade}}
	if !reflect.DeepEqual(ev.ForeignKeys, wantFK) {
		t.Errorf("foreign keys %+v, want %+v", ev.ForeignKeys, wantFK)
	}
	wantIx := []Index{{Name: "events_kind_lower", Unique: true,
		Keys: []IndexKey{{Expr: "lower(kind)"}, {Column: "at"}}, Where: "NOT deleted"}}
	if !reflect.DeepEqual(ev.Indexes, wantIx) {
		t.Errorf("indexes %+v, want %+v", ev.Indexes, wantIx)
	}
	if len(ev.Checks) != 1 || ev.Checks[0].Name != "kind_known" || ev.Checks[0].Expr == "" {
		t.Errorf("checks %+v", ev.Checks)
	}
	if !reflect.DeepEqual(ev.PrimaryKey, []string{"id"}) || ev.PrimaryKeyName != "events_pkey" {
		t.Errorf("primary key %v %q", ev.PrimaryKey, ev.PrimaryKeyName)
	}
	actors, err := Inspect(ctx, db, "audit", "actors")
	if err != nil {
		t.Fatal(err)
	}
	aid, _ := actors.Column("id")
	name, _ := actors.Column("name")
	if !aid.Identity || aid.Default != "" || name.Length != 80 || typeFamily(name.Type) != famText {
		t.Errorf("audit.actors: %+v", actors.Columns)
	}
	pub, err := Inspect(ctx, db, "", "events")
	if err != nil || len(pub.Columns) != 1 {
		t.Errorf("public.events: %+v, %v", pub, err)
	}
	if _, err := Inspect(ctx, db, "audit", "events"); !isNoTable(err) {
		t.Errorf("audit.events: %v, want ErrNoTable", err)
	}
	// A foreign key onto the table's own unique index leaves the index an index.
	exec(t, db, `CREATE TABLE shop.nodes (id int PRIMARY KEY, code text NOT NULL, parent_code text)`,
		`CREATE UNIQUE INDEX nodes_code ON shop.nodes (code)`,
		`ALTER TABLE shop.nodes ADD CONSTRAINT nodes_parent FOREIGN KEY (parent_code) REFERENCES shop.nodes (code)`)
	nodes, err := Inspect(ctx, db, "shop", "nodes")
	wantNodeIx := []Index{{Name: "nodes_code", Unique: true, Keys: []IndexKey{{Column: "code"}}}}
	if err != nil || !reflect.DeepEqual(nodes.Indexes, wantNodeIx) || len(nodes.ForeignKeys) != 1 || nodes.ForeignKeys[0].RefSchema != "" {
		t.Errorf("shop.nodes: %+v, %v", nodes, err)
	}
}

// TestInspectSQLiteDetails reads what SQLite keeps only in the CREATE statements: partial and
// expression indexes, named checks, and a composite foreign key.
func TestInspectSQLiteDetails(t *testing.T) {
	db := openDB(t, testcontainers.SQLite(t))
	exec(t, db,
		`CREATE TABLE parents (a INTEGER NOT NULL, b TEXT NOT NULL, PRIMARY KEY (a, b))`,
		`CREATE TABLE "we""ird" (
			id INTEGER PRIMARY KEY,
			a INTEGER, b TEXT,
			note VARCHAR(40) DEFAULT 'x, (y)' CHECK (length(note) > 0),
			CONSTRAINT "pair" FOREIGN KEY (a, b) REFERENCES parents (a, b) ON DELETE CASCADE,
			CONSTRAINT ab_ok CHECK (a > 0 OR b <> ''))`,
		`CREATE INDEX ix_expr ON "we""ird" (lower(b), a) WHERE a IS NOT NULL AND b <> 'WHERE'`,
		`CREATE UNIQUE INDEX ix_note ON "we""ird" (note)`,
	)
	tb, err := Inspect(context.Background(), db, "", `we"ird`)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := tb.Column("id")
	note, _ := tb.Column("note")
	if !id.Identity || id.Nullable || note.Length != 40 || note.Default != "'x, (y)'" {
		t.Errorf("columns %+v", tb.Columns)
	}
	wantIx := []Index{
		{Name: "ix_expr", Keys: []IndexKey{{Expr: "lower(b)"}, {Column: "a"}}, Where: "a IS NOT NULL AND b <> 'WHERE'"},
		{Name: "ix_note", Unique: true, Keys: []IndexKey{{Column: "note"}}},
	}
	if !reflect.DeepEqual(tb.Indexes, wantIx) {
		t.Errorf("indexes %+v, want %+v", tb.Indexes, wantIx)
	}
	wantFK := []ForeignKey{{Columns: []string{"a", "b"}, RefTable: "parents", RefColumns: []string{"a", "b"}, OnDelete: Cascade}}
	if !reflect.DeepEqual(tb.ForeignKeys, wantFK) {
		t.Errorf("foreign keys %+v, want %+v", tb.ForeignKeys, wantFK)
	}
	wantChecks := []CheckConstraint{{Expr: "length(note) > 0"}, {Name: "ab_ok", Expr: "a > 0 OR b <> ''"}}
	if !reflect.DeepEqual(tb.Checks, wantChecks) {
		t.Errorf("checks %+v, want %+v", tb.Checks, wantChecks)
	}
}

// TestInspectMySQLDetails reads MySQL/MariaDB's catalog: a composite index, a unique index
// made with CREATE INDEX, comments, an unsigned column, and the actions of a foreign key.
func TestInspectMySQLDetails(t *testing.T) {
	db := openDB(t, testcontainers.MySQL(t))
	exec(t, db,
		"CREATE TABLE parents (id BIGINT PRIMARY KEY)",
		"CREATE TABLE kids (id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, parent_id BIGINT NULL,"+
			" name VARCHAR(50) NOT NULL DEFAULT 'kid' COMMENT 'given name', age INT,"+
			" CONSTRAINT kid_parent FOREIGN KEY (parent_id) REFERENCES parents (id) ON DELETE SET NULL,"+
			" CONSTRAINT age_ok CHECK (age >= 0), INDEX ix_name_age (name, age)) COMMENT='children'",
		"CREATE UNIQUE INDEX ux_name ON kids (name)",
	)
	k, err := Inspect(context.Background(), db, "", "kids")
	if err != nil {
		t.Fatal(err)
	}
	id, _ := k.Column("id")
	name, _ := k.Column("name")
	parent, _ := k.Column("parent_id")
	if !id.Identity || name.Length != 50 || name.Comment != "given name" || !parent.Nullable || k.Comment != "children" {
		t.Errorf("kids: %+v", k)
	}
	if name.Default != "kid" && name.Default != "'kid'" { // MySQL gives the value, MariaDB the literal
		t.Errorf("default %q", name.Default)
	}
	wantIx := []Index{{Name: "ix_name_age", Keys: []IndexKey{{Column: "name"}, {Column: "age"}}}}
	if !reflect.DeepEqual(k.Indexes, wantIx) {
		t.Errorf("indexes %+v, want %+v", k.Indexes, wantIx)
	}
	// MySQL lists a unique index as a UNIQUE constraint: it makes no difference between them.
	if want := []Unique{{Name: "ux_name", Columns: []string{"name"}}}; !reflect.DeepEqual(k.Uniques, want) {
		t.Errorf("uniques %+v, want %+v", k.Uniques, want)
	}
	wantFK := []ForeignKey{{Name: "kid_parent", Columns: []string{"parent_id"}, RefTable: "parents", RefColumns: []string{"id"}, OnDelete: SetNull}}
	if !reflect.DeepEqual(k.ForeignKeys, wantFK) {
		t.Errorf("foreign keys %+v, want %+v", k.ForeignKeys, wantFK)
	}
	if len(k.Checks) != 1 || k.Checks[0].Name != "age_ok" || k.PrimaryKeyName != "" || !reflect.DeepEqual(k.PrimaryKey, []string{"id"}) {
		t.Errorf("checks %+v, primary key %q %v", k.Checks, k.PrimaryKeyName, k.PrimaryKey)
	}
	if db.Dialect().Caps().DDL.Catalog != dialect.CatalogInformationSchema {
		t.Fatal("not the information_schema catalog")
	}
}
