package dialect_test

import (
	"testing"

	"github.com/typedsql/typedsql/dialect"
)

func TestAppendIdent(t *testing.T) {
	tests := []struct {
		d          dialect.Dialect
		name, want string
	}{
		{dialect.Postgres, "users", `"users"`},
		{dialect.Postgres, `we"ird`, `"we""ird"`},
		{dialect.Postgres, "we`ird", "\"we`ird\""},
		{dialect.Postgres, `""`, `""""""`},
		{dialect.SQLite, `a"b"c`, `"a""b""c"`},
		{dialect.MySQL, "we`ird", "`we``ird`"},
		{dialect.MySQL, `we"ird`, "`we\"ird`"},
		{dialect.MariaDB, "``", "``````"},
		{dialect.MySQL, "select", "`select`"},
	}
	for _, tt := range tests {
		if got := string(tt.d.AppendIdent([]byte("x "), tt.name)); got != "x "+tt.want {
			t.Errorf("%s AppendIdent(%q) = %s, want %s", tt.d.Name(), tt.name, got, tt.want)
		}
	}
}

func TestAppendPlaceholder(t *testing.T) {
	for _, tt := range []struct {
		d    dialect.Dialect
		n    int
		want string
	}{
		{dialect.Postgres, 1, "$1"}, {dialect.Postgres, 123, "$123"},
		{dialect.MySQL, 7, "?"}, {dialect.MariaDB, 7, "?"}, {dialect.SQLite, 7, "?"},
	} {
		if got := string(tt.d.AppendPlaceholder(nil, tt.n)); got != tt.want {
			t.Errorf("%s AppendPlaceholder(%d) = %s, want %s", tt.d.Name(), tt.n, got, tt.want)
		}
	}
}

func TestByName(t *testing.T) {
	for _, d := range []dialect.Dialect{dialect.Postgres, dialect.MySQL, dialect.MariaDB, dialect.SQLite} {
		got, ok := dialect.ByName(d.Name())
		if !ok || got != d {
			t.Errorf("ByName(%q) = %v, %v", d.Name(), got, ok)
		}
		if p := d.Caps().Placeholder; string(d.AppendPlaceholder(nil, 12))[0] != p {
			t.Errorf("%s: Placeholder %q disagrees with AppendPlaceholder", d.Name(), p)
		}
		if q := d.Caps().IdentQuote; string(d.AppendIdent(nil, "x")) != string([]byte{q, 'x', q}) {
			t.Errorf("%s: IdentQuote %q disagrees with AppendIdent", d.Name(), q)
		}
	}
	if _, ok := dialect.ByName("oracle"); ok {
		t.Error("ByName(oracle) found a dialect")
	}
}

// TestMariaDBIsMySQLPlus: the MariaDB flavour differs from MySQL only where documented.
func TestMariaDBIsMySQLPlus(t *testing.T) {
	my, maria := dialect.MySQL.Caps(), dialect.MariaDB.Caps()
	if my.InsertReturning || my.DeleteReturning || !maria.InsertReturning || !maria.DeleteReturning || maria.UpdateReturning {
		t.Errorf("RETURNING: mysql %+v, mariadb %+v", my, maria)
	}
	maria.InsertReturning, maria.DeleteReturning, maria.LockInShareMode = false, false, false
	maria.Replication = my.Replication // MariaDB's GTID functions are its own
	maria.TxBegin = my.TxBegin         // transaction start differs and is owned by txn
	maria.JSONPath = my.JSONPath       // MySQL's JSON_VALUE takes only a literal path
	maria.Explain = my.Explain         // MariaDB has no FORMAT=TREE and no EXPLAIN ANALYZE (its ANALYZE)
	if my != maria {
		t.Errorf("mysql and mariadb differ beyond RETURNING, FOR SHARE, replication, JSON paths and EXPLAIN:\n%+v\n%+v", my, maria)
	}
}

// TestCapsIsAValue: changing the capabilities a dialect returned changes nothing else, so a
// program cannot change how a built-in dialect renders (and a render cache that keyed on the
// dialect cannot serve text that a changed capability would no longer produce).
func TestCapsIsAValue(t *testing.T) {
	c := dialect.Postgres.Caps()
	c.ILike = false
	c.Cast.Text = "VARCHAR"
	if got := dialect.Postgres.Caps(); !got.ILike || got.Cast.Text != "TEXT" {
		t.Errorf("changing a copy of the capabilities changed dialect.Postgres: %+v", got)
	}
}

// TestEveryEngineSpellsItsStatements: each built-in dialect fills in the spellings the
// transaction code and the connection layer take from it instead of knowing engines.
func TestEveryEngineSpellsItsStatements(t *testing.T) {
	for _, d := range []dialect.Dialect{dialect.Postgres, dialect.MySQL, dialect.MariaDB, dialect.SQLite} {
		c := d.Caps()
		if c.Savepoint.Save == "" || c.Savepoint.Release == "" || c.Savepoint.RollbackTo == "" {
			t.Errorf("%s: savepoint statements %+v", d.Name(), c.Savepoint)
		}
		if (c.TxStatus == dialect.TxStatusByQuery) != (c.TxStatusQuery != "") {
			t.Errorf("%s: TxStatus %d with query %q", d.Name(), c.TxStatus, c.TxStatusQuery)
		}
		ddl := c.DDL
		if ddl.Catalog == 0 || ddl.IntegerBits == 0 || ddl.AddConstraint != (ddl.DropForeignKey != "") {
			t.Errorf("%s: DDL catalog, INTEGER width or foreign key spelling missing: %+v", d.Name(), ddl)
		}
		for _, name := range []string{ddl.Int, ddl.Uint, ddl.Float, ddl.Text, ddl.Bytes, ddl.Bool, ddl.Time, ddl.JSON, ddl.Identity,
			ddl.Int32, ddl.TextKey, ddl.BytesKey} {
			if name == "" {
				t.Errorf("%s: a DDL type name is missing: %+v", d.Name(), ddl)
				break
			}
		}
	}
}
