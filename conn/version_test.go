package conn_test

import (
	"strings"
	"testing"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/testcontainers"
)

// TestServerVersion asks each server its version, checks it against the server's own answer,
// and that it is asked once: after Close, the DB still knows it.
func TestServerVersion(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		db, err := conn.Open(ctx, tdb.URL)
		if err != nil {
			t.Fatal(err)
		}
		v, err := db.ServerVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v.Major == 0 || v.Text == "" || !strings.Contains(tdb.Version, v.Text[:strings.IndexAny(v.Text+" ", " -")]) {
			t.Errorf("ServerVersion %+v; the harness read %q", v, tdb.Version)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		again, err := db.ServerVersion(ctx)
		if err != nil || again != v {
			t.Errorf("after Close: %+v, %v; want the version kept, %+v", again, err, v)
		}
	})
}

// TestServerVersionPicksDialect: a mysql:// URL on a MariaDB server renders MariaDB's SQL once
// connected (INSERT ... RETURNING runs), and a mariadb:// URL on MySQL renders MySQL's.
func TestServerVersionPicksDialect(t *testing.T) {
	tdb := testcontainers.MySQL(t)
	scheme, other := "mariadb://", "mysql://"
	if !tdb.MariaDB() {
		scheme, other = "mysql://", "mariadb://"
	}
	if !strings.HasPrefix(tdb.URL, scheme) {
		t.Fatalf("harness URL %s does not start with %s", tdb.Redacted(), scheme)
	}
	ctx := t.Context()
	db := openURL(t, other+strings.TrimPrefix(tdb.URL, scheme))
	if got, want := db.Dialect().Name(), strings.TrimSuffix(other, "://"); got != want {
		t.Errorf("before Connect, dialect %s; want the URL's, %s", got, want)
	}
	if err := db.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	want := strings.TrimSuffix(scheme, "://")
	if got := db.Dialect().Name(); got != want {
		t.Fatalf("after Connect, dialect %s; want the server's, %s", got, want)
	}
	mustExec(t, db, "CREATE TABLE version_pick (id BIGINT AUTO_INCREMENT PRIMARY KEY, name TEXT)")
	if db.Dialect().Caps().InsertReturning {
		id, err := conn.Scalar[int64](ctx, db, conn.SQL("INSERT INTO version_pick (name) VALUES ('a') RETURNING id"))
		if err != nil || id != 1 {
			t.Errorf("RETURNING on the server's dialect: %d, %v", id, err)
		}
	}
}
