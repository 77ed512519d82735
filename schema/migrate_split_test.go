package schema

import (
	"reflect"
	"strings"
	"testing"
)

func TestSplitStatements(t *testing.T) {
	src := `-- create things
CREATE TABLE a (x text DEFAULT 'a;b', "we;ird" int); -- trailing
/* a ; comment */ INSERT INTO a VALUES ('it''s;', 1);
CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;
SELECT $$;$$;
-- typedsql:begin
CREATE TRIGGER t AFTER INSERT ON a BEGIN
  UPDATE a SET x = 'y';
END;
-- typedsql:end
SELECT ` + "`a;b`" + `
`
	got, noTx, err := splitStatements(src)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`-- create things
CREATE TABLE a (x text DEFAULT 'a;b', "we;ird" int)`,
		`-- trailing
/* a ; comment */ INSERT INTO a VALUES ('it''s;', 1)`,
		`CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql`,
		`SELECT $$;$$`,
		"CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  UPDATE a SET x = 'y';\nEND;",
		"SELECT `a;b`",
	}
	if !reflect.DeepEqual(got, want) || noTx {
		t.Errorf("got %q (noTx %v)\nwant %q", got, noTx, want)
	}
	if _, noTx, _ := splitStatements("-- typedsql:no-transaction\nVACUUM"); !noTx {
		t.Error("no-transaction directive not seen")
	}
	for src, msg := range map[string]string{
		"SELECT 'abc":                    "line 1: unterminated ' quote",
		"SELECT 1;\n/* open":             "line 2: unterminated /* comment",
		"\n-- typedsql:begin\nSELECT 1;": "line 2: -- typedsql:begin is never closed",
		"-- typedsql:end":                "line 1: -- typedsql:end without",
		"SELECT $x$ never closed":        "line 1: unterminated $x$ quote",
	} {
		if _, _, err := splitStatements(src); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%q: %v, want %q", src, err, msg)
		}
	}
}
