package replica

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/dialect"
)

// engine is what the set asks a server, per engine: never by guessing from SQL text, always
// by the server's own functions.
type engine interface {
	// primaryPosition is the primary's current write position.
	primaryPosition(ctx context.Context, db *conn.DB) (Position, error)
	// probe reads a replica's role and the position it has replayed; an error or
	// ok == false (not a replica, replication stopped) makes it unusable, with why.
	probe(ctx context.Context, db *conn.DB) (replayed Position, ok bool, why string, err error)
	// writable reports whether the server takes writes (a primary).
	writable(ctx context.Context, db *conn.DB) (bool, error)
	// wait waits until the replica has replayed pos or ctx ends, and reports whether it has.
	wait(ctx context.Context, db *conn.DB, pos Position) (bool, error)
}

func engineOf(db *conn.DB) (engine, error) {
	d := db.Dialect()
	if d == nil {
		return nil, fmt.Errorf("replica: %v: %w", db, conn.ErrNotInitialized)
	}
	switch d.Caps().Replication {
	case dialect.ReplicationWAL:
		return pgEngine{}, nil
	case dialect.ReplicationMariaDBGTID:
		return mariaEngine{}, nil
	}
	return nil, fmt.Errorf("replica: the %s dialect follows no streaming replicas; replica sets are for PostgreSQL and MariaDB "+
		"(open a MariaDB server with a mariadb:// URL)", d.Name())
}

type pgEngine struct{}

// primaryPosition is the primary's WAL insert location: every record inserted so far, the
// commit of every transaction that has returned included, is before it. The write location
// (pg_current_wal_lsn()) is not enough: with synchronous_commit = off a commit returns before
// its WAL is written, and a replica that had replayed up to the write location served reads
// that missed the session's write (957 of 1,000 in TestReadYourWritesAsyncCommit).
func (pgEngine) primaryPosition(ctx context.Context, db *conn.DB) (Position, error) {
	var text string
	var block, segment int64
	err := db.QueryRow(ctx, conn.SQL("SELECT pg_current_wal_insert_lsn()::text, current_setting('wal_block_size')::int8, "+
		"(SELECT setting::int8 FROM pg_settings WHERE name = 'wal_segment_size')")).Scan(&text, &block, &segment)
	if err != nil {
		return Position{}, err
	}
	p, err := parsePGPosition(text)
	if err != nil {
		return Position{}, err
	}
	return p.beforePageHeader(block, segment), nil
}

func (pgEngine) probe(ctx context.Context, db *conn.DB) (Position, bool, string, error) {
	var recovery bool
	var lsn *string
	err := db.QueryRow(ctx, conn.SQL("SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text")).Scan(&recovery, &lsn)
	if err != nil {
		return Position{}, false, "", err
	}
	if !recovery {
		return Position{}, false, "pg_is_in_recovery() is false: the server is a primary now", nil
	}
	if lsn == nil {
		return Position{}, false, "pg_last_wal_replay_lsn() is NULL: nothing replayed yet", nil
	}
	p, err := parsePGPosition(*lsn)
	return p, err == nil, "", err
}

func (e pgEngine) wait(ctx context.Context, db *conn.DB, pos Position) (bool, error) {
	for {
		text, err := conn.Scalar[*string](ctx, db, conn.SQL("SELECT pg_last_wal_replay_lsn()::text"))
		if err != nil {
			if ctx.Err() != nil {
				return false, nil
			}
			return false, err
		}
		if text != nil {
			if p, err := parsePGPosition(*text); err == nil && p.Covers(pos) {
				return true, nil
			}
		}
		t := time.NewTimer(2 * time.Millisecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return false, nil
		case <-t.C:
		}
	}
}

type mariaEngine struct{}

func (mariaEngine) primaryPosition(ctx context.Context, db *conn.DB) (Position, error) {
	text, err := conn.Scalar[string](ctx, db, conn.SQL("SELECT @@gtid_binlog_pos"))
	if err != nil {
		return Position{}, err
	}
	return parseGTIDPosition(text)
}

// probe reads @@read_only and @@gtid_slave_pos, and SHOW SLAVE STATUS: a NULL
// Seconds_Behind_Master (the IO or SQL thread is not running) is unhealthy.
func (mariaEngine) probe(ctx context.Context, db *conn.DB) (Position, bool, string, error) {
	var readOnly int64
	var gtid string
	if err := db.QueryRow(ctx, conn.SQL("SELECT @@read_only, @@gtid_slave_pos")).Scan(&readOnly, &gtid); err != nil {
		return Position{}, false, "", err
	}
	if readOnly == 0 {
		return Position{}, false, "@@read_only is OFF: the server takes writes, it is not a replica", nil
	}
	behind, found, err := secondsBehindMaster(ctx, db)
	switch {
	case err != nil:
		return Position{}, false, "", err
	case !found:
		return Position{}, false, "SHOW SLAVE STATUS is empty: the server replicates from nothing", nil
	case behind == nil:
		return Position{}, false, "Seconds_Behind_Master is NULL: replication is stopped", nil
	}
	p, err := parseGTIDPosition(gtid)
	return p, err == nil, "", err
}

func secondsBehindMaster(ctx context.Context, db *conn.DB) (*int64, bool, error) {
	rows, err := db.Query(ctx, conn.SQL("SHOW SLAVE STATUS"))
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	cols := rows.Columns()
	if !rows.Next() {
		return nil, false, rows.Err()
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return nil, true, err
	}
	for i, c := range cols {
		if c != "Seconds_Behind_Master" {
			continue
		}
		switch v := vals[i].(type) {
		case nil:
			return nil, true, rows.Close()
		case []byte:
			n, err := strconv.ParseInt(string(v), 10, 64)
			return &n, true, errors.Join(err, rows.Close())
		case int64:
			return &v, true, rows.Close()
		case uint64:
			n := int64(v)
			return &n, true, rows.Close()
		}
		return nil, true, fmt.Errorf("replica: Seconds_Behind_Master is a %T", vals[i])
	}
	return nil, true, errors.New("replica: SHOW SLAVE STATUS has no Seconds_Behind_Master column")
}

func (mariaEngine) wait(ctx context.Context, db *conn.DB, pos Position) (bool, error) {
	timeout := 1.0
	if d, ok := ctx.Deadline(); ok {
		timeout = time.Until(d).Seconds()
	}
	if timeout <= 0 {
		return false, nil
	}
	r, err := conn.Scalar[*int64](ctx, db, conn.SQL("SELECT MASTER_GTID_WAIT(?, ?)"), pos.gtidText(), timeout)
	if err != nil {
		if ctx.Err() != nil {
			return false, nil
		}
		return false, err
	}
	return r != nil && *r == 0, nil
}

func (pgEngine) writable(ctx context.Context, db *conn.DB) (bool, error) {
	ro, err := conn.Scalar[string](ctx, db, conn.SQL("SELECT CASE WHEN pg_is_in_recovery() THEN 'on' ELSE current_setting('default_transaction_read_only') END"))
	return err == nil && ro == "off", err
}

func (mariaEngine) writable(ctx context.Context, db *conn.DB) (bool, error) {
	ro, err := conn.Scalar[int64](ctx, db, conn.SQL("SELECT @@read_only"))
	return err == nil && ro == 0, err
}
