package conn

import (
	"context"
	"crypto/rand"
	"database/sql/driver"
	"encoding/hex"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/typedsql/typedsql/conn/config"
	"github.com/typedsql/typedsql/internal/engine"
)

// openSQLite builds a modernc.org/sqlite DSN whose pragmas run on every new connection.
// ":memory:" becomes a named database in the memdb VFS, which every connection of this DB
// shares (a plain ":memory:" would give each pooled connection its own empty database).
func openSQLite(ctx context.Context, r Config) (backend, error) {
	s := r.SQLite
	q := url.Values{}
	for k, v := range r.DriverArgs {
		q.Set(k, v)
	}
	fk := s.ForeignKeys == nil || *s.ForeignKeys
	// The driver's own keys for busy_timeout, foreign_keys, journal_mode and synchronous are
	// validated by the driver and applied in a fixed order (busy_timeout first).
	q.Set("_busy_timeout", strconv.FormatInt(time.Duration(s.BusyTimeout).Milliseconds(), 10))
	q.Set("_foreign_keys", strconv.FormatBool(fk))
	memory := r.Database == sqliteMemoryDatabase
	journal := s.JournalMode
	if journal == "" && !memory {
		journal = "WAL"
	}
	if journal != "" {
		q.Set("_journal_mode", strings.ToUpper(journal))
	}
	if s.Synchronous != "" {
		q.Set("_synchronous", strings.ToUpper(s.Synchronous))
	}
	if s.CacheSize != 0 {
		q.Add("_pragma", "cache_size("+strconv.Itoa(s.CacheSize)+")")
	}
	if s.MmapSize != 0 {
		q.Add("_pragma", "mmap_size("+strconv.FormatInt(s.MmapSize, 10)+")")
	}
	if q.Get("_time_format") == "" {
		// Times are written as "2006-01-02 15:04:05.999999999-07:00", which SQLite's date
		// functions and ORDER BY understand, rather than the driver's default of Go's
		// time.Time.String ("... +0000 UTC").
		q.Set("_time_format", "sqlite")
	}
	if q.Get("_timezone") == "" {
		// SQLite has no time type: it compares the text, so one instant must have one text.
		// Written in the writer's zone, 10:00+05:30 and 04:30+00:00 differ, = misses the
		// same instant and < and > compare clock faces. The driver converts every time it
		// writes or binds to UTC first; the fraction has no trailing zeros and "+" sorts
		// before "." and the digits, so the text sorts as the times do ("04:30:00+00:00" <
		// "04:30:00.25+00:00" < "04:30:00.5+00:00"). Reads come back in UTC, the same
		// instant, and text without a zone (CURRENT_TIMESTAMP) reads as UTC, which it is.
		q.Set("_timezone", "UTC")
	}
	// A double-quoted name is an identifier, never a string: SQLite's legacy quirk reads one
	// that names no column as a string literal, so a misspelt column (a descriptor's tag, a
	// typo in raw SQL) compared or returned its own name without an error, and a DELETE
	// filtered on it could delete every row. Off (SQLITE_DBCONFIG_DQS_DML and _DDL), the
	// statement fails with "no such column", as on PostgreSQL and MariaDB.
	q.Set("_dqs", "0")
	// Write transactions take the write lock at BEGIN (by default), instead of failing with
	// "database is locked" at their first write; conn's blocks wait for their turn in the
	// process's write queue before that BEGIN (sqlite_writequeue.go).
	q.Set("_txlock", strings.ToLower(s.TxLock))
	var dsn, memName string
	if memory {
		q.Set("vfs", "memdb")
		memName = "/typedsql-memory-" + randomName()
		dsn = "file:" + memName + "?" + q.Encode()
	} else {
		dsn = "file:" + (&url.URL{Path: r.Database}).EscapedPath() + "?" + q.Encode()
	}
	eng, err := engineFor("sqlite")
	if err != nil {
		return nil, err
	}
	connector, err := eng.Connector(ctx, engine.Settings{DSN: dsn})
	if err != nil {
		return nil, fmt.Errorf("conn: sqlite config for %s: %w", config.RedactedURL(r), err)
	}
	file, err := openSQLiteFile(r.Database, memName)
	if err != nil {
		return nil, err
	}
	var keep driver.Conn
	if memory {
		// The memdb database lives as long as one connection to it is open. The keeper is
		// that connection, opened here outside the pool: no statement runs on it, so the
		// init hooks do not, it takes no slot, and the pool's connections and their count are
		// those of a file database.
		if keep, err = connector.Connect(ctx); err != nil {
			closeSQLiteFile(file)
			return nil, fmt.Errorf("conn: open in-memory sqlite: %w", err)
		}
	}
	setup := newSQLiteSetup(eng, dsn, connector)
	var pooled driver.Connector = setup
	if !memory {
		pooled = &oneAtATime{Connector: setup, file: file}
	}
	b := newSQLBackendFor(pooled, r)
	b.wq = &writeQueue{f: file, wait: time.Duration(s.BusyTimeout)}
	b.setup, b.keep = setup, keep
	return b, nil
}

func randomName() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// oneAtATime opens a file database's connections one at a time in the process, whichever DB
// they are for. The first connection to a new file switches it to WAL, which needs the file
// to itself: a second connection opening meanwhile fails with "database is locked" without
// waiting on busy_timeout, so the first concurrent statements on a fresh database could fail,
// of one DB's pool or of several DBs opened on the file at once. Opening a local file takes
// microseconds, so the queue costs nothing worth measuring.
type oneAtATime struct {
	driver.Connector
	file *sqliteFile
}

func (c *oneAtATime) Connect(ctx context.Context) (driver.Conn, error) {
	select {
	case c.file.connect <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("conn: waiting to open a connection to %s: %w", c.file.name, context.Cause(ctx))
	}
	defer func() { <-c.file.connect }()
	return c.Connector.Connect(ctx)
}
