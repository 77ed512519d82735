package conformance

import (
	"testing"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/testcontainers"
)

// railsCases are the safety rails of issue 18 item 6 and the CTE binding of item 7: each
// either runs and gives the right rows on every engine, or fails to build before reaching one.
func railsCases() []stmtCase {
	u, o, c := users, orders, counters
	// wildcards puts names with LIKE's wildcards in them among the counters.
	wildcards := func(t *testing.T, db *testcontainers.Database) {
		t.Helper()
		ins := rebind(db, "INSERT INTO counters (name, hits) VALUES (?, 0)")
		for _, name := range []string{"50%", "500", "a_b", "axb", `c\d`, "cd"} {
			if _, err := db.SQL.ExecContext(t.Context(), ins, name); err != nil {
				t.Fatalf("insert %q: %v", name, err)
			}
		}
	}
	return []stmtCase{{
		name:    "UPDATE without WHERE fails to build",
		stmt:    func() builder.Statement { return builder.Update(c).Set(c.Hits.Set(0)) },
		invalid: `UPDATE "counters" without WHERE would change every row`,
	}, {
		name:      "UPDATE ... AllRows changes every row",
		stmt:      func() builder.Statement { return builder.Update(c).Set(c.Hits.Set(9)).AllRows() },
		affected:  n(2),
		after:     "SELECT name, hits FROM counters ORDER BY name",
		afterRows: [][]any{{"a", int64(9)}, {"b", int64(9)}},
	}, {
		name:    "DELETE without WHERE fails to build",
		stmt:    func() builder.Statement { return builder.DeleteFrom(c) },
		invalid: `DELETE "counters" without WHERE would delete every row`,
	}, {
		name:    "an empty filter list is no WHERE",
		stmt:    func() builder.Statement { return builder.DeleteFrom(c).Where([]expr.Cond{}...) },
		invalid: "call AllRows() if every row is meant",
	}, {
		name:    "SELECT of a column without FROM fails to build",
		stmt:    func() builder.Statement { return builder.Select(u.ID, u.Name).Where(u.ID.Eq(1)) },
		invalid: `column "users.id" in a SELECT without FROM: add From(users)`,
	}, {
		name: "SELECT without FROM of values only still runs",
		stmt: func() builder.Statement {
			return builder.Select(expr.Add(expr.Val[int64](1), expr.Val[int64](2)).As("three"))
		},
		rows: [][]any{{int64(3)}},
	}, {
		name: "Nullable.SetPtr: a value, and nil for NULL",
		stmt: func() builder.Statement {
			return builder.Update(u).Set(u.Email.SetPtr(nil), u.Age.SetPtr(ptr[int64](41))).Where(u.ID.Le(2))
		},
		affected:  n(2),
		after:     "SELECT id, email, age FROM users WHERE id <= 2 ORDER BY id",
		afterRows: [][]any{{int64(1), nil, int64(41)}, {int64(2), nil, int64(41)}},
	}, {
		name:   "EscapeLike: % in user input matches only itself",
		before: wildcards,
		stmt: func() builder.Statement {
			return builder.Select(c.Name).From(c).Where(expr.Like(c.Name, "%"+expr.EscapeLike("0%"))).OrderBy(c.Name.Asc())
		},
		rows: [][]any{{"50%"}},
	}, {
		name:   "EscapeLike: _ and \\ in user input match only themselves",
		before: wildcards,
		stmt: func() builder.Statement {
			return builder.Select(c.Name).From(c).
				Where(expr.Like(c.Name, expr.EscapeLike("a_")+"%").Or(expr.Like(c.Name, expr.EscapeLike(`c\`)+"%"))).
				OrderBy(c.Name.Asc())
		},
		rows: [][]any{{"a_b"}, {`c\d`}},
	}, {
		name:   "a LIKE pattern's wildcards still work, the same on every engine",
		before: wildcards,
		stmt: func() builder.Statement {
			return builder.Select(c.Name).From(c).Where(expr.Like(c.Name, "a_b"), expr.NotLike(c.Name, `%\_%`)).OrderBy(c.Name.Asc())
		},
		rows: [][]any{{"axb"}},
	}, {
		name: "AllColumns: every column in declaration order",
		stmt: func() builder.Statement {
			return builder.Select(c.AllColumns()...).From(c).OrderBy(c.Name.Asc())
		},
		columns: []string{"name", "hits"},
		rows:    [][]any{{"a", int64(1)}, {"b", int64(5)}},
	}, {
		name: "AllColumns of an alias, joined",
		stmt: func() builder.Statement {
			oo := expr.As(orders, "o")
			return builder.Select(oo.AllColumns()...).From(oo).Join(u, u.ID.EqExpr(oo.UserID)).
				Where(u.Name.Eq("bob"))
		},
		columns: []string{"id", "user_id", "amount", "status", "note"},
		rows:    [][]any{{int64(3), int64(2), int64(75), "pending", nil}},
	}, {
		name: "CTE: a select list in another order binds by name",
		stmt: func() builder.Statement {
			sums := builder.Select(expr.Sum(o.Amount).As("total"), o.UserID).From(o).GroupBy(o.UserID)
			return builder.Select(totals.UserID, totals.Total).From(totals).With(builder.CTE(totals, sums)).
				Where(totals.Total.Gt(100)).OrderBy(totals.UserID.Asc())
		},
		rows: [][]any{{int64(1), int64(350)}, {int64(4), int64(320)}},
	}, {
		name: "CTE: an unnamed item takes its position's column when no item names it",
		stmt: func() builder.Statement {
			sums := builder.Select(o.UserID, expr.Sum(o.Amount)).From(o).GroupBy(o.UserID)
			return builder.Select(totals.Total).From(totals).With(builder.CTE(totals, sums)).Where(totals.UserID.Eq(4))
		},
		rows: [][]any{{int64(320)}},
	}, {
		name: "CTE: an unnamed item where a named item took its column fails to build",
		stmt: func() builder.Statement {
			sums := builder.Select(expr.Sum(o.Amount), o.UserID).From(o).GroupBy(o.UserID) // swapped, SUM unnamed
			return builder.Select(totals.Total).From(totals).With(builder.CTE(totals, sums))
		},
		invalid: `CTE "totals": select item 1 has no name, and column "user_id" at its position is named by another item`,
	}, {
		name: "CTE: an item named for no column fails to build",
		stmt: func() builder.Statement {
			sums := builder.Select(o.ID, expr.Sum(o.Amount).As("total")).From(o).GroupBy(o.ID)
			return builder.Select(totals.Total).From(totals).With(builder.CTE(totals, sums))
		},
		invalid: `select item 1 is named "id", which is not one of its columns ("user_id", "total")`,
	}, {
		name: "CTE: too few items fails to build",
		stmt: func() builder.Statement {
			return builder.Select(totals.Total).From(totals).With(builder.CTE(totals, builder.Select(o.UserID).From(o)))
		},
		invalid: "the query has 1 select items for 2 columns",
	}, {
		name: "CTESelect: typed assignments in any order",
		stmt: func() builder.Statement {
			sums := builder.CTESelect(totals, builder.Select().From(o).GroupBy(o.UserID),
				totals.Total.SetExpr(expr.Sum(o.Amount)), totals.UserID.SetExpr(o.UserID))
			return builder.Select(totals.UserID, totals.Total).From(totals).With(sums).
				Where(totals.Total.Gt(100)).OrderBy(totals.UserID.Asc())
		},
		rows: [][]any{{int64(1), int64(350)}, {int64(4), int64(320)}},
	}, {
		name: "CTESelect: a column left without a value fails to build",
		stmt: func() builder.Statement {
			sums := builder.CTESelect(totals, builder.Select().From(o), totals.UserID.SetExpr(o.UserID))
			return builder.Select(totals.UserID).From(totals).With(sums)
		},
		invalid: `CTE "totals": column "total" has no value`,
	}, {
		name: "CTESelect: a column of another table fails to build",
		stmt: func() builder.Statement {
			sums := builder.CTESelect(totals, builder.Select().From(o), totals.UserID.SetExpr(o.UserID),
				totals.Total.SetExpr(o.Amount), o.Amount.SetExpr(o.Amount))
			return builder.Select(totals.UserID).From(totals).With(sums)
		},
		invalid: `is not a column of the target "totals"`,
	}}
}

func TestRails(t *testing.T) { runStatementCases(t, railsCases()) }
