package conn

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
)

// ExplainOptions choose what DB.Explain shows.
type ExplainOptions struct {
	// Analyze runs the statement and shows what each step of the plan did (rows, time):
	// EXPLAIN (ANALYZE) on PostgreSQL, ANALYZE on MariaDB, EXPLAIN ANALYZE on MySQL 8.
	// SQLite has no such thing: asking there is an error matching ErrNotSupported.
	Analyze bool
}

// Explain returns the plan the database chose for a statement, as text, without changing
// the statement. It is rendered and routed as Exec or the fetch functions would run it, and
// the engine's EXPLAIN is written before it:
//
//	plan, err := db.Explain(ctx, builder.Select(Users.ID).From(Users).Where(Users.Email.Eq("a@x.org")), conn.ExplainOptions{})
//	// postgres: EXPLAIN SELECT "id" FROM "users" WHERE "email" = $1
//	//           Index Scan using users_email_key on users  (cost=0.15..8.17 rows=1 width=8)
//	//             Index Cond: (email = 'a@x.org'::text)
//	// mariadb:  EXPLAIN SELECT ...   (MariaDB's table: id | select_type | table | type | ...)
//	// mysql:    EXPLAIN FORMAT=TREE SELECT ...
//	// sqlite:   EXPLAIN QUERY PLAN SELECT ...
//	//           QUERY PLAN
//	//           `--SEARCH users USING INDEX sqlite_autoindex_users_1 (email=?)
//
// A plan of one column comes back one row a line (PostgreSQL, MySQL); a plan of several
// columns as a table with a header line and columns separated by " | " (MariaDB); SQLite's
// as the tree its shell draws. Only the form is made readable: the plan's text is the
// engine's own and differs from engine to engine and version to version.
//
// With Analyze the statement runs. A statement that may write (anything but a builder
// SELECT without a locking clause, or ReadOnly SQL) runs inside a savepoint (in a block) or a
// transaction (outside one) that is then rolled back, so its changes are undone. MySQL/MariaDB
// commit DDL implicitly, which no rollback undoes: do not EXPLAIN DDL. args are SQL text's
// arguments, as Exec's are.
func (db *DB) Explain(ctx context.Context, stmt Statement, opts ExplainOptions, args ...any) (string, error) {
	if stmt == nil {
		return "", errNilStatement
	}
	es := explainStmt{stmt: stmt, analyze: opts.Analyze}
	t, err := db.lookupTarget(ctx, es)
	if err != nil {
		return "", err
	}
	if opts.Analyze && t.h.dialect().Caps().Explain.Analyze == "" {
		return "", &Error{Class: ErrNotSupported, msg: "EXPLAIN ANALYZE: " + t.h.dialect().Name() + " cannot run a statement to show its plan; explain without Analyze"}
	}
	if !opts.Analyze || IsRead(stmt) {
		return db.explain(ctx, es, args)
	}
	var plan string
	err = t.db.Atomic(ctx, func(ctx context.Context) error {
		var err error
		if plan, err = db.explain(ctx, es, args); err != nil {
			return err
		}
		return errUndoAnalyze
	})
	if errors.Is(err, errUndoAnalyze) {
		err = nil
	}
	return plan, err
}

// errUndoAnalyze rolls back the block an analyzed write ran in.
var errUndoAnalyze = errors.New("conn: undo the statement EXPLAIN ANALYZE ran")

// explain runs the EXPLAIN statement and formats its rows.
func (db *DB) explain(ctx context.Context, es explainStmt, args []any) (string, error) {
	t, err := db.lookupTarget(ctx, es)
	if err != nil {
		return "", err
	}
	var stmt Statement = es
	if text, ok := unwrapReadOnly(es.stmt).(SQL); ok {
		// SQL text takes its arguments beside it, which only SQL text may.
		ex := t.h.dialect().Caps().Explain
		prefix := ex.Plan
		if es.analyze {
			prefix = ex.Analyze
		}
		stmt = SQL(prefix + string(text))
	}
	rows, err := db.Query(ctx, stmt, args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	cols := rows.Columns()
	var table [][]string
	vals := make([]any, len(cols))
	dest := make([]any, len(cols))
	for i := range vals {
		dest[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return "", err
		}
		row := make([]string, len(vals))
		for i, v := range vals {
			row[i] = planCell(v)
		}
		table = append(table, row)
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	if err := rows.Close(); err != nil {
		return "", err
	}
	if t.h.dialect().Caps().Explain.Form == dialect.ExplainQueryPlan {
		return queryPlanTree(table), nil
	}
	return planText(cols, table), nil
}

// explainStmt is a statement with the engine's EXPLAIN before it. It keeps the statement's
// tables, so that Using and routers send it where the statement would go.
type explainStmt struct {
	stmt    Statement
	analyze bool
}

func (s explainStmt) Build(d dialect.Dialect) (string, []any, error) {
	ex := d.Caps().Explain
	prefix := ex.Plan
	if s.analyze {
		prefix = ex.Analyze
	}
	if prefix == "" {
		what := "EXPLAIN"
		if s.analyze {
			what = "EXPLAIN ANALYZE"
		}
		return "", nil, &expr.BuildError{Dialect: d.Name(), Reason: what + " is not supported", Kind: expr.ErrUnsupported}
	}
	text, args, err := unwrapReadOnly(s.stmt).Build(d)
	if err != nil {
		return "", nil, err
	}
	return prefix + text, args, nil
}

// Tables returns the explained statement's tables, when it lists them.
func (s explainStmt) Tables() []string {
	if tl, ok := s.stmt.(tableLister); ok {
		return tl.Tables()
	}
	return nil
}

// planCell is one value of a plan's row as text.
func planCell(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case []byte:
		return string(x)
	case string:
		return x
	}
	return fmt.Sprint(v)
}

// planText is a plan of one column, a line a row, or a table of several with a header.
func planText(cols []string, rows [][]string) string {
	var b strings.Builder
	if len(cols) == 1 {
		for i, r := range rows {
			if i > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(r[0])
		}
		return b.String()
	}
	width := make([]int, len(cols))
	for i, c := range cols {
		width[i] = len(c)
	}
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], len(c))
		}
	}
	line := func(cells []string) {
		var l strings.Builder
		for i, c := range cells {
			if i > 0 {
				l.WriteString(" | ")
			}
			l.WriteString(c)
			l.WriteString(strings.Repeat(" ", width[i]-len(c)))
		}
		b.WriteString(strings.TrimRight(l.String(), " "))
	}
	line(cols)
	for _, r := range rows {
		b.WriteByte('\n')
		line(r)
	}
	return b.String()
}

// queryPlanTree draws SQLite's EXPLAIN QUERY PLAN rows (id, parent, notused, detail) as the
// sqlite3 shell does:
//
//	QUERY PLAN
//	|--SCAN users
//	`--USE TEMP B-TREE FOR ORDER BY
func queryPlanTree(rows [][]string) string {
	type node struct {
		detail   string
		children []int
	}
	nodes := make([]node, len(rows))
	index := map[string]int{}
	var roots []int
	for i, r := range rows {
		if len(r) < 4 {
			continue
		}
		nodes[i].detail = r[3]
		index[r[0]] = i
		if p, ok := index[r[1]]; ok && r[1] != "0" {
			nodes[p].children = append(nodes[p].children, i)
		} else {
			roots = append(roots, i)
		}
	}
	var b strings.Builder
	b.WriteString("QUERY PLAN")
	var draw func(ids []int, indent string)
	draw = func(ids []int, indent string) {
		for k, i := range ids {
			last := k == len(ids)-1
			b.WriteByte('\n')
			b.WriteString(indent)
			next := indent + "|  "
			if last {
				b.WriteString("`--")
				next = indent + "   "
			} else {
				b.WriteString("|--")
			}
			b.WriteString(nodes[i].detail)
			draw(nodes[i].children, next)
		}
	}
	draw(roots, "")
	return b.String()
}
