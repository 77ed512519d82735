package schema

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/expr"
)

// ErrMigration is matched by every error about the migrations themselves: a file name without
// a version, two migrations with one version, an applied migration whose file changed, a
// migration out of order, a statement that failed.
var ErrMigration = errors.New("schema: migration")

// Migration is one step of a schema's history: the statements of an SQL file, or a Go
// function.
type Migration struct {
	Version int64
	Name    string
	// Statements are the SQL file's statements, in order (LoadMigrations splits the file).
	Statements []string
	// Func is a Go migration; it must run its statements with the ctx it is given, which
	// holds the migration's transaction.
	Func func(ctx context.Context, db *conn.DB) error
	// NoTransaction runs the migration outside a transaction even where DDL is transactional
	// (a file opts out with the line -- typedsql:no-transaction).
	NoTransaction bool
	// Checksum is the SHA-256 of the file, recorded when the migration is applied; an applied
	// migration whose checksum has changed since is refused. Empty for a Go migration.
	Checksum string
	// Source names where it came from, for messages: the file's path, or "Go".
	Source string
}

// GoMigration is a migration written in Go. One that rebuilds a SQLite table (Alter or
// Apply with a RebuildTable change) needs NoTransaction set: SQLite cannot turn foreign keys
// off inside the migration's transaction, and the rebuild refuses to run with them on.
//
//	schema.GoMigration(3, "backfill emails", func(ctx context.Context, db *conn.DB) error {
//		_, err := db.Exec(ctx, conn.SQL("UPDATE users SET email = lower(email)"))
//		return err
//	})
func GoMigration(version int64, name string, fn func(ctx context.Context, db *conn.DB) error) Migration {
	return Migration{Version: version, Name: name, Func: fn, Source: "Go"}
}

// LoadMigrations reads the migrations of dir in fsys (an embed.FS, os.DirFS): every file
// named VERSION_NAME.sql, VERSION a positive integer (0001, 20240601120000), split into
// statements at the semicolons outside quotes, comments and dollar quotes. Lines between
// -- typedsql:begin and -- typedsql:end stay one statement (a trigger body); the line
// -- typedsql:no-transaction runs the file outside a transaction. Other files are ignored.
//
//	//go:embed migrations/*.sql
//	var migrations embed.FS
//	ms, err := schema.LoadMigrations(migrations, "migrations")
func LoadMigrations(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("%w: reading %s: %w", ErrMigration, dir, err)
	}
	var out []Migration
	for _, e := range entries {
		file := e.Name()
		if e.IsDir() || !strings.HasSuffix(file, ".sql") {
			continue
		}
		p := path.Join(dir, file)
		base := strings.TrimSuffix(file, ".sql")
		v, name, _ := strings.Cut(base, "_")
		version, err := strconv.ParseInt(v, 10, 64)
		if err != nil || version <= 0 {
			return nil, fmt.Errorf("%w: %s: the name must start with a positive version number and _ (0001_create_users.sql)", ErrMigration, p)
		}
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrMigration, p, err)
		}
		stmts, noTx, err := splitStatements(string(src))
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrMigration, p, err)
		}
		sum := sha256.Sum256(src)
		out = append(out, Migration{Version: version, Name: strings.ReplaceAll(name, "_", " "), Statements: stmts,
			NoTransaction: noTx, Checksum: hex.EncodeToString(sum[:]), Source: p})
	}
	return out, nil
}

// historyTable is the runner's record of applied migrations.
type historyTable struct {
	expr.Table
	Version   expr.Column[int64]     `db:"version" schema:"pk"`
	Name      expr.Column[string]    `db:"name" schema:"size=255"`
	Checksum  expr.Column[string]    `db:"checksum" schema:"size=64"`
	Done      expr.Column[int32]     `db:"statements_done"`
	Complete  expr.Column[bool]      `db:"complete"`
	AppliedAt expr.Column[time.Time] `db:"applied_at"`
}

type historyRow struct {
	Version   int64     `db:"version"`
	Name      string    `db:"name"`
	Checksum  string    `db:"checksum"`
	Done      int32     `db:"statements_done"`
	Complete  bool      `db:"complete"`
	AppliedAt time.Time `db:"applied_at"`
}

// Migrator applies migrations to a database and records them in a history table
// (typedsql_migrations unless HistoryTable names another).
type Migrator struct {
	db         *conn.DB
	migrations []Migration
	history    *historyTable
	lockName   string
	outOfOrder bool
}

// MigratorOption configures NewMigrator.
type MigratorOption func(*Migrator)

// HistoryTable names the table the applied migrations are recorded in.
func HistoryTable(name string) MigratorOption {
	return func(m *Migrator) { m.history, m.lockName = expr.NewTable[historyTable](name), "typedsql_migrate:"+name }
}

// AllowOutOfOrder lets Up apply a migration whose version is below one already applied
// (migrations merged from two branches); without it Up refuses.
func AllowOutOfOrder() MigratorOption { return func(m *Migrator) { m.outOfOrder = true } }

// NewMigrator prepares migrations, sorted by version, for db. Two migrations with one version
// are an error naming both.
func NewMigrator(db *conn.DB, migrations []Migration, opts ...MigratorOption) (*Migrator, error) {
	m := &Migrator{db: db, migrations: slices.Clone(migrations)}
	HistoryTable("typedsql_migrations")(m)
	for _, o := range opts {
		o(m)
	}
	slices.SortStableFunc(m.migrations, func(a, b Migration) int { return cmp.Compare(a.Version, b.Version) })
	for i := range m.migrations {
		mg := &m.migrations[i]
		if i > 0 && m.migrations[i-1].Version == mg.Version {
			return nil, fmt.Errorf("%w: version %d twice: %s and %s", ErrMigration, mg.Version, m.migrations[i-1].Source, mg.Source)
		}
		if mg.Func == nil && mg.Statements == nil {
			return nil, fmt.Errorf("%w: %d %s (%s): no statements and no function", ErrMigration, mg.Version, mg.Name, mg.Source)
		}
	}
	return m, nil
}

// MigrationStatus is one migration as Status sees it.
type MigrationStatus struct {
	Version int64
	Name    string
	Applied bool
	// Partial reports a migration that failed part way outside a transaction (MySQL/MariaDB,
	// or NoTransaction): Done statements ran; Up resumes after them.
	Partial   bool
	Done      int
	AppliedAt time.Time // when it was recorded; zero if never
}

// Status lists every migration, known or only recorded, and whether it is applied. It changes
// nothing in the database.
func (m *Migrator) Status(ctx context.Context) ([]MigrationStatus, error) {
	rows, err := m.appliedIfAny(ctx)
	if err != nil {
		return nil, err
	}
	var out []MigrationStatus
	for _, mg := range m.migrations {
		s := MigrationStatus{Version: mg.Version, Name: mg.Name}
		if r, ok := rows[mg.Version]; ok {
			s.Applied, s.Partial, s.Done, s.AppliedAt = r.Complete, !r.Complete, int(r.Done), r.AppliedAt
			delete(rows, mg.Version)
		}
		out = append(out, s)
	}
	for _, r := range rows { // recorded, but no longer among the migrations
		out = append(out, MigrationStatus{Version: r.Version, Name: r.Name, Applied: r.Complete,
			Partial: !r.Complete, Done: int(r.Done), AppliedAt: r.AppliedAt})
	}
	slices.SortFunc(out, func(a, b MigrationStatus) int { return cmp.Compare(a.Version, b.Version) })
	return out, nil
}

// DryRun writes the SQL Up would run, migration by migration, without running it or changing
// anything (not even creating the history table). A Go migration is listed by name.
func (m *Migrator) DryRun(ctx context.Context, w io.Writer) error {
	rows, err := m.appliedIfAny(ctx)
	if err != nil {
		return err
	}
	pending, err := m.pending(rows)
	if err != nil {
		return err
	}
	for _, mg := range pending {
		fmt.Fprintf(w, "-- %d %s (%s)\n", mg.Version, mg.Name, mg.Source)
		if mg.Func != nil {
			fmt.Fprintln(w, "-- a Go function")
			continue
		}
		for _, s := range mg.Statements[rows[mg.Version].Done:] {
			fmt.Fprintf(w, "%s;\n", s)
		}
	}
	return nil
}

// Up applies every pending migration in version order and returns the versions it applied.
// One runner works at a time: it holds a named lock for the whole run (pg_advisory_lock,
// GET_LOCK), or on SQLite an exclusive flock(2) on a file beside the database,
// <database>-migrate.lock (released by the system if the process dies; an in-memory
// database takes an in-process lock), so concurrent runners apply each migration once, with
// or without a transaction. On SQLite each migration also reads the history under the write
// lock its transaction takes; on a system without flock only that keeps runners of two
// processes apart, which covers migrations that run in a transaction.
//
// A migration runs in a transaction where DDL is transactional (PostgreSQL, SQLite) unless
// it opts out: a failure leaves the database and the history as they were. On MySQL/MariaDB,
// which commit every DDL statement, the history records each statement as it completes: a
// failed migration is recorded as partial, and the next Up resumes at the statement that
// failed (fix that statement; the file may change until the migration completes).
//
// Up refuses, before running anything, an applied migration whose file changed (checksum)
// and a pending migration below an applied one unless AllowOutOfOrder was given.
func (m *Migrator) Up(ctx context.Context) ([]int64, error) {
	var done []int64
	err := m.db.WithConn(ctx, func(ctx context.Context) error {
		unlock, err := m.lock(ctx)
		if err != nil {
			return err
		}
		defer unlock()
		if err := m.inWriteLock(ctx, func(ctx context.Context) error {
			return CreateIfNotExists(ctx, m.db, m.history)
		}); err != nil {
			return err
		}
		rows, err := m.applied(ctx)
		if err != nil {
			return err
		}
		pending, err := m.pending(rows)
		if err != nil {
			return err
		}
		for _, mg := range pending {
			ran, err := m.apply(ctx, mg)
			if err != nil {
				return err
			}
			if ran {
				done = append(done, mg.Version)
			}
		}
		return nil
	})
	return done, err
}

// lock takes the engine's named lock on the pinned connection of ctx.
func (m *Migrator) lock(ctx context.Context) (func(), error) {
	ddl := m.db.Dialect().Caps().DDL
	if ddl.LockSQL == "" {
		return m.lockSQLite(ctx)
	}
	n, err := conn.Scalar[*int64](ctx, m.db, conn.SQL(ddl.LockSQL), m.lockName)
	if err != nil {
		return nil, fmt.Errorf("schema: taking the migration lock %q: %w", m.lockName, err)
	}
	if n == nil || *n != 1 {
		return nil, fmt.Errorf("schema: the migration lock %q was not granted", m.lockName)
	}
	return func() {
		// A lock that cannot be given back goes with the connection when WithConn closes it.
		_, _ = conn.Scalar[*int64](context.WithoutCancel(ctx), m.db, conn.SQL(ddl.UnlockSQL), m.lockName)
	}, nil
}

// lockSQLite takes SQLite's migration lock: an exclusive flock on the file beside the
// database, <database>-migrate.lock (an in-memory database, which is one pool's, takes an
// in-process lock on its pool and the history table's name instead).
func (m *Migrator) lockSQLite(ctx context.Context) (func(), error) {
	file, err := conn.Scalar[string](ctx, m.db, conn.SQL(`SELECT file FROM pragma_database_list WHERE name = 'main'`))
	if err != nil {
		return nil, fmt.Errorf("schema: finding the database file for the migration lock: %w", err)
	}
	if file == "" {
		return lockLocal(ctx, fmt.Sprintf("%p:%s", m.db, m.lockName))
	}
	return lockFile(ctx, file+"-migrate.lock")
}

// inWriteLock runs fn in a transaction where the engine has no named lock (SQLite's BEGIN
// IMMEDIATE takes the write lock, which serializes runners), else as it is.
func (m *Migrator) inWriteLock(ctx context.Context, fn func(context.Context) error) error {
	if m.db.Dialect().Caps().DDL.LockSQL == "" {
		return m.db.Atomic(ctx, fn)
	}
	return fn(ctx)
}

// appliedIfAny is applied, or nothing when the history table does not exist yet: Status and
// DryRun change nothing in the database.
func (m *Migrator) appliedIfAny(ctx context.Context) (map[int64]historyRow, error) {
	_, err := Inspect(ctx, m.db, m.history.TableSchema(), m.history.TableName())
	if errors.Is(err, ErrNoTable) {
		return map[int64]historyRow{}, nil
	}
	if err != nil {
		return nil, err
	}
	return m.applied(ctx)
}

func (m *Migrator) applied(ctx context.Context) (map[int64]historyRow, error) {
	h := m.history
	rows, err := conn.All[historyRow](ctx, m.db, builder.Select(h.Version, h.Name, h.Checksum, h.Done, h.Complete, h.AppliedAt).From(h))
	if err != nil {
		return nil, fmt.Errorf("schema: reading the migration history: %w", err)
	}
	out := make(map[int64]historyRow, len(rows))
	for _, r := range rows {
		out[r.Version] = r
	}
	return out, nil
}

// pending checks the history against the migrations and lists those to run.
func (m *Migrator) pending(rows map[int64]historyRow) ([]Migration, error) {
	var maxApplied int64
	for _, r := range rows {
		if r.Complete {
			maxApplied = max(maxApplied, r.Version)
		}
	}
	var out []Migration
	var errs []error
	for _, mg := range m.migrations {
		r, ok := rows[mg.Version]
		switch {
		case ok && r.Complete:
			if mg.Checksum != "" && r.Checksum != mg.Checksum {
				errs = append(errs, fmt.Errorf("%w: %d %s (%s) was applied, and its file has changed since (checksum %s, now %s)",
					ErrMigration, mg.Version, mg.Name, mg.Source, r.Checksum, mg.Checksum))
			}
		case mg.Version < maxApplied && !ok && !m.outOfOrder:
			errs = append(errs, fmt.Errorf("%w: %d %s (%s) is older than %d, which is applied: pass schema.AllowOutOfOrder() to apply it",
				ErrMigration, mg.Version, mg.Name, mg.Source, maxApplied))
		default:
			if ok && int(r.Done) > len(mg.Statements) {
				errs = append(errs, fmt.Errorf("%w: %d %s (%s) is recorded with %d statements done, and has %d",
					ErrMigration, mg.Version, mg.Name, mg.Source, r.Done, len(mg.Statements)))
			}
			out = append(out, mg)
		}
	}
	return out, errors.Join(errs...)
}

// apply runs one migration and records it; ran is false when another runner applied it
// first (SQLite).
func (m *Migrator) apply(ctx context.Context, mg Migration) (ran bool, err error) {
	tx := m.db.Dialect().Caps().DDL.Transactional && !mg.NoTransaction
	if tx {
		err = m.db.Atomic(ctx, func(ctx context.Context) error {
			rows, err := m.applied(ctx) // under the write lock: another runner may have been first
			if err != nil {
				return err
			}
			r, recorded := rows[mg.Version]
			if recorded && r.Complete {
				return nil
			}
			if err := m.run(ctx, mg, int(r.Done), false); err != nil {
				return err
			}
			ran = true
			return m.record(ctx, mg, len(mg.Statements), true, recorded)
		})
		return ran, err
	}
	rows, err := m.applied(ctx)
	if err != nil {
		return false, err
	}
	r, recorded := rows[mg.Version]
	if recorded && r.Complete {
		return false, nil
	}
	if !recorded {
		if err := m.inWriteLock(ctx, func(ctx context.Context) error { return m.record(ctx, mg, 0, false, false) }); err != nil {
			return false, err
		}
	}
	if err := m.run(ctx, mg, int(r.Done), true); err != nil {
		return false, err
	}
	return true, m.inWriteLock(ctx, func(ctx context.Context) error { return m.record(ctx, mg, len(mg.Statements), true, true) })
}

// run executes mg's statements from the from-th; with progress, the history records each
// statement as it completes.
func (m *Migrator) run(ctx context.Context, mg Migration, from int, progress bool) error {
	if mg.Func != nil {
		if err := mg.Func(ctx, m.db); err != nil {
			return fmt.Errorf("%w: %d %s (%s): %w", ErrMigration, mg.Version, mg.Name, mg.Source, err)
		}
		return nil
	}
	h := m.history
	for i := from; i < len(mg.Statements); i++ {
		if _, err := m.db.Exec(ctx, conn.SQL(mg.Statements[i])); err != nil {
			return fmt.Errorf("%w: %d %s (%s), statement %d of %d:\n%s\n%w", ErrMigration, mg.Version, mg.Name, mg.Source,
				i+1, len(mg.Statements), mg.Statements[i], err)
		}
		if progress {
			upd := builder.Update(h).Set(h.Done.Set(int32(i + 1))).Where(h.Version.Eq(mg.Version))
			if _, err := m.db.Exec(ctx, upd); err != nil {
				return fmt.Errorf("schema: recording statement %d of migration %d: %w", i+1, mg.Version, err)
			}
		}
	}
	return nil
}

// record writes mg's history row: inserted, or updated when exists.
func (m *Migrator) record(ctx context.Context, mg Migration, done int, complete, exists bool) error {
	h := m.history
	now := time.Now().UTC()
	var stmt conn.Statement
	if exists {
		stmt = builder.Update(h).Set(h.Done.Set(int32(done)), h.Complete.Set(complete), h.Checksum.Set(mg.Checksum),
			h.AppliedAt.Set(now)).Where(h.Version.Eq(mg.Version))
	} else {
		stmt = builder.InsertInto(h).Values(h.Version.Set(mg.Version), h.Name.Set(mg.Name), h.Checksum.Set(mg.Checksum),
			h.Done.Set(int32(done)), h.Complete.Set(complete), h.AppliedAt.Set(now))
	}
	if _, err := m.db.Exec(ctx, stmt); err != nil {
		return fmt.Errorf("schema: recording migration %d: %w", mg.Version, err)
	}
	return nil
}
