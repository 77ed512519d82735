package conn_test

import (
	"strings"
	"testing"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
)

func TestOpenFromEnv(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		t.Setenv("TYPEDSQL_TEST_DATABASE_URL", tdb.URL)
		db, err := conn.OpenFromEnv(t.Context(), "TYPEDSQL_TEST_DATABASE_URL", "sqlite:///:memory:", conn.ConnectEagerly())
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if got := db.Dialect().Name(); !strings.HasPrefix(got, string(tdb.Engine)) && !(got == "mariadb" && tdb.MariaDB()) {
			t.Errorf("opened %s from the environment, want %s", got, tdb.Engine)
		}
	})
}

func TestOpenFromEnvFallback(t *testing.T) {
	t.Setenv("TYPEDSQL_TEST_DATABASE_URL", "")
	db, err := conn.OpenFromEnv(t.Context(), "TYPEDSQL_TEST_DATABASE_URL", "sqlite:///:memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.String() != "sqlite:///:memory:" {
		t.Errorf("fallback opened %s", db)
	}
	t.Setenv("TYPEDSQL_TEST_DATABASE_URL", "postgres://u:"+configPassword+"@h:0/d")
	_, err = conn.OpenFromEnv(t.Context(), "TYPEDSQL_TEST_DATABASE_URL", "sqlite:///:memory:")
	if err == nil || !strings.Contains(err.Error(), "conn: $TYPEDSQL_TEST_DATABASE_URL: invalid port") {
		t.Errorf("bad URL in the environment: %v", err)
	}
	assertNoSecret(t, configPassword, err.Error())
	t.Setenv("TYPEDSQL_TEST_DATABASE_URL", "")
	_, err = conn.OpenFromEnv(t.Context(), "TYPEDSQL_TEST_DATABASE_URL", "")
	if err == nil || !strings.Contains(err.Error(), "fallback database URL: empty") {
		t.Errorf("no URL at all: %v", err)
	}
}
