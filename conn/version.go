package conn

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/typedsql/typedsql/dialect"
)

// ServerVersion is a server's version: the text it reports and the numbers it starts with.
//
//	v.Text                // "15.4 (Debian 15.4-1.pgdg120+1)", "10.11.6-MariaDB-0+deb12u1", "3.49.1"
//	v.Major, v.Minor      // 15 4, 10 11, 3 49
//	v.AtLeast(10, 5)      // major.minor or later
type ServerVersion = dialect.Version

// serverVersion is a handle's server version, asked once.
type serverVersion struct {
	mu sync.Mutex // one query at a time
	v  atomic.Pointer[ServerVersion]
}

// ServerVersion returns the version of the database server (of the SQLite library), asked
// once per DB and kept. Asking it, as Connect does, also settles the dialect the DB renders
// (dialect.ForServer): a mysql:// URL on a MariaDB server renders MariaDB's SQL (RETURNING,
// LOCK IN SHARE MODE) and a mariadb:// URL on MySQL renders MySQL's; SQLite before 3.35 has no
// RETURNING.
//
//	v, err := db.ServerVersion(ctx)
//	// SELECT current_setting('server_version')   (PostgreSQL)
//	// SELECT VERSION()                           (MySQL, MariaDB)
//	// SELECT sqlite_version()                    (SQLite)
//	if v.AtLeast(16, 0) { ... }
//
// Statements that ran before the version was known were rendered for the dialect the URL
// named: call Connect (or open with ConnectEagerly) to settle it before the first one.
func (db *DB) ServerVersion(ctx context.Context) (ServerVersion, error) {
	h, err := db.handle()
	if err != nil {
		return ServerVersion{}, err
	}
	v, err := h.serverVersion(ctx)
	if err != nil {
		return ServerVersion{}, classify(h, fmt.Errorf("conn: server version of %s: %w", h.name, err))
	}
	return v, nil
}

// serverVersion asks the server's version once, and switches the handle to the dialect the
// server speaks.
func (h *handle) serverVersion(ctx context.Context) (ServerVersion, error) {
	if v := h.version.v.Load(); v != nil {
		return *v, nil
	}
	h.version.mu.Lock()
	defer h.version.mu.Unlock()
	if v := h.version.v.Load(); v != nil {
		return *v, nil
	}
	d := h.dialect()
	q := d.Caps().VersionQuery
	if q == "" {
		return ServerVersion{}, fmt.Errorf("dialect %s has no version query: %w", d.Name(), ErrNotSupported)
	}
	text, err := h.queryText(ctx, q)
	if err != nil {
		return ServerVersion{}, err
	}
	v := dialect.ParseVersion(text)
	if nd := dialect.ForServer(d, text); !dialect.Same(nd, d) {
		h.dia.Store(&dialectBox{nd})
	}
	h.version.v.Store(&v)
	return v, nil
}

// queryText runs a query of one row and one text column on a pooled connection, past the
// statement log: it is conn's own question, not the application's.
func (h *handle) queryText(ctx context.Context, q string) (string, error) {
	var rows driverRows
	if err := h.be.query(ctx, q, nil, &rows); err != nil {
		return "", err
	}
	var text string
	if !rows.next() {
		err := rows.err()
		rows.close()
		if err == nil {
			err = errors.New("the version query returned no row")
		}
		return "", err
	}
	err := rows.scan([]any{&text})
	return text, errors.Join(err, rows.close())
}
