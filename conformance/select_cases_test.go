package conformance

import (
	"context"
	"testing"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/testcontainers"
)

// ids is a one-column result of int64s.
func ids(vs ...int64) [][]any {
	out := make([][]any, len(vs))
	for i, v := range vs {
		out[i] = []any{v}
	}
	return out
}

// lockUser1 holds a row lock on users.id = 1 in another session until the test ends.
func lockUser1(t *testing.T, db *testcontainers.Database) {
	t.Helper()
	// Not t.Context(): it ends before the cleanups, and with it the transaction.
	tx, err := db.SQL.BeginTx(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tx.Rollback() })
	if _, err := tx.Exec("SELECT id FROM users WHERE id = 1 FOR UPDATE"); err != nil {
		t.Fatal(err)
	}
}

func selectCases() []stmtCase {
	u, o := users, orders
	uu, oo := expr.As(users, "u"), expr.As(orders, "o")
	return []stmtCase{{
		name: "SELECT WHERE = ORDER BY",
		stmt: func() builder.Statement {
			return builder.Select(u.ID, u.Name).From(u).Where(u.Active.Eq(true)).OrderBy(u.ID.Asc())
		},
		rows: [][]any{{int64(1), "alice"}, {int64(2), "bob"}, {int64(4), "dave"}},
	}, {
		name: "SELECT DISTINCT",
		stmt: func() builder.Statement { return builder.SelectDistinct(o.Status).From(o).OrderBy(o.Status.Asc()) },
		rows: [][]any{{"cancelled"}, {"paid"}, {"pending"}},
	}, {
		name:    "column alias",
		stmt:    func() builder.Statement { return builder.Select(u.Name.As("who")).From(u).Where(u.ID.Eq(1)) },
		columns: []string{"who"},
		rows:    [][]any{{"alice"}},
	}, {
		name: "repeated Where calls AND together",
		stmt: func() builder.Statement {
			return builder.Select(u.ID).From(u).Where(u.Active.Eq(true)).Where(expr.Like(u.Name, "%a%")).OrderBy(u.ID.Asc())
		},
		rows: ids(1, 4),
	}, {
		name: "comparisons = <> < <= > >=",
		stmt: func() builder.Statement {
			return builder.Select(u.ID).From(u).
				Where(u.ID.Ge(1), u.ID.Lt(4), u.Age.Gt(20), u.Age.Le(30), u.Name.Ne("bob"), u.Active.Eq(true))
		},
		rows: ids(1),
	}, {
		name: "IN values",
		stmt: func() builder.Statement {
			return builder.Select(u.ID).From(u).Where(u.ID.In(1, 3, 99)).OrderBy(u.ID.Asc())
		},
		rows: ids(1, 3),
	}, {
		name: "NOT IN values",
		stmt: func() builder.Statement {
			return builder.Select(u.ID).From(u).Where(u.ID.NotIn(1, 3)).OrderBy(u.ID.Asc())
		},
		rows: ids(2, 4),
	}, {
		name:    "empty IN list is an error",
		stmt:    func() builder.Statement { return builder.Select(u.ID).From(u).Where(u.ID.In()) },
		invalid: "empty value list",
	}, {
		name: "IN subquery",
		stmt: func() builder.Statement {
			big := builder.SelectOne(o.UserID).From(o).Where(o.Amount.Gt(200))
			return builder.Select(u.ID).From(u).Where(u.ID.InQuery(big)).OrderBy(u.ID.Asc())
		},
		rows: ids(1, 4),
	}, {
		name: "NOT IN subquery",
		stmt: func() builder.Statement {
			big := builder.SelectOne(o.UserID).From(o).Where(o.Amount.Gt(200))
			return builder.Select(u.ID).From(u).Where(u.ID.NotInQuery(big)).OrderBy(u.ID.Asc())
		},
		rows: ids(2, 3),
	}, {
		name: "BETWEEN",
		stmt: func() builder.Statement {
			return builder.Select(o.ID).From(o).Where(o.Amount.Between(75, 250)).OrderBy(o.ID.Asc())
		},
		rows: ids(1, 2, 3),
	}, {
		name: "NOT BETWEEN",
		stmt: func() builder.Statement {
			return builder.Select(o.ID).From(o).Where(o.Amount.NotBetween(75, 250)).OrderBy(o.ID.Asc())
		},
		rows: ids(4, 5),
	}, {
		name: "IS NULL",
		stmt: func() builder.Statement { return builder.Select(u.ID).From(u).Where(u.Email.IsNull()) },
		rows: ids(2),
	}, {
		name: "IS NOT NULL",
		stmt: func() builder.Statement {
			return builder.Select(u.ID).From(u).Where(u.Email.IsNotNull()).OrderBy(u.ID.Asc())
		},
		rows: ids(1, 3, 4),
	}, {
		name: "LIKE on a nullable column, NOT LIKE",
		stmt: func() builder.Statement {
			return builder.Select(u.ID).From(u).Where(expr.Like(u.Email, "c%"), expr.NotLike(u.Name, "%x%"))
		},
		rows: ids(3),
	}, {
		name: "ILIKE, NOT ILIKE (LOWER() LIKE LOWER() where the engine lacks ILIKE)",
		stmt: func() builder.Statement {
			return builder.Select(u.ID).From(u).Where(expr.ILike(u.Name, "A%").Or(expr.NotILike(u.Name, "%A%"))).OrderBy(u.ID.Asc())
		},
		rows: ids(1, 2),
	}, {
		name: "AND OR NOT",
		stmt: func() builder.Statement {
			return builder.Select(u.ID).From(u).
				Where(expr.Or(u.ID.Eq(1), expr.And(u.Active.Eq(false), expr.Not(u.Email.IsNull())))).OrderBy(u.ID.Asc())
		},
		rows: ids(1, 3),
	}, {
		name: "arithmetic + - * and negation",
		stmt: func() builder.Statement {
			return builder.Select(o.ID, expr.Add(o.Amount, expr.Val[int64](1)), expr.Sub(o.Amount, expr.Val[int64](1)),
				expr.Mul(o.Amount, expr.Val[int64](2)), expr.Neg(o.Amount)).From(o).Where(o.ID.Eq(1))
		},
		rows: [][]any{{int64(1), int64(101), int64(99), int64(200), int64(-100)}},
	}, {
		// On MySQL / would give DECIMAL 2.5000; Div on integers is written DIV there.
		name: "division of integers truncates toward zero",
		stmt: func() builder.Statement {
			return builder.Select(expr.Div(o.Amount, expr.Val[int64](100)), expr.Div(expr.Neg(o.Amount), expr.Val[int64](100))).
				From(o).Where(o.ID.Eq(2))
		},
		rows: [][]any{{int64(2), int64(-2)}},
	}, {
		name: "division of floats",
		stmt: func() builder.Statement {
			return builder.Select(expr.Div(expr.Cast[float64](o.Amount), expr.Val(100.0))).From(o).Where(o.ID.Eq(2))
		},
		rows: [][]any{{2.5}},
	}, {
		name: "string concatenation",
		stmt: func() builder.Statement {
			return builder.Select(expr.Concat(u.Name, expr.Val("!"), expr.Val("?"))).From(u).Where(u.ID.Eq(1))
		},
		rows: [][]any{{"alice!?"}},
	}, {
		name: "CASE WHEN ELSE, CASE without ELSE",
		stmt: func() builder.Statement {
			return builder.Select(u.ID,
				expr.Case[string]().When(u.Active.Eq(true), expr.Val("on")).Else(expr.Val("off")),
				expr.Case[string]().When(u.ID.Eq(1), expr.Val("one")).End(),
			).From(u).OrderBy(u.ID.Asc())
		},
		rows: [][]any{{int64(1), "on", "one"}, {int64(2), "on", nil}, {int64(3), "off", nil}, {int64(4), "on", nil}},
	}, {
		name: "COALESCE",
		stmt: func() builder.Statement {
			return builder.Select(expr.Coalesce(u.Email, "none")).From(u).OrderBy(u.ID.Asc())
		},
		rows: [][]any{{"alice@example.com"}, {"none"}, {"carol@example.com"}, {"dave@example.com"}},
	}, {
		name: "CAST",
		stmt: func() builder.Statement {
			return builder.Select(expr.Cast[string](u.ID), expr.Cast[float64](u.Age), expr.Cast[int64](expr.Val("42"))).
				From(u).Where(u.ID.Eq(1))
		},
		rows: [][]any{{"1", 30.0, int64(42)}},
	}, {
		name: "EXISTS (correlated)",
		stmt: func() builder.Statement {
			return builder.Select(u.ID).From(u).
				Where(expr.Exists(builder.Select(o.ID).From(o).Where(o.UserID.EqExpr(u.ID)))).OrderBy(u.ID.Asc())
		},
		rows: ids(1, 2, 4),
	}, {
		name: "NOT EXISTS (correlated)",
		stmt: func() builder.Statement {
			return builder.Select(u.ID).From(u).Where(expr.NotExists(builder.Select(o.ID).From(o).Where(o.UserID.EqExpr(u.ID))))
		},
		rows: ids(3),
	}, {
		name: "scalar subquery",
		stmt: func() builder.Statement {
			n := builder.SelectOne(expr.CountAll()).From(o).Where(o.UserID.EqExpr(u.ID))
			return builder.Select(u.Name, expr.Subquery(n)).From(u).OrderBy(u.ID.Asc())
		},
		rows: [][]any{{"alice", int64(2)}, {"bob", int64(1)}, {"carol", int64(0)}, {"dave", int64(2)}},
	}, {
		name: "aggregates COUNT(*) COUNT(x) COUNT(DISTINCT) SUM AVG MIN MAX",
		stmt: func() builder.Statement {
			return builder.Select(expr.CountAll(), expr.Count(o.Note), expr.CountDistinct(o.Status), expr.Sum(o.Amount),
				expr.Avg(o.Amount), expr.Min(o.Amount), expr.Max(o.Amount), expr.Min(o.Status)).From(o)
		},
		rows: [][]any{{int64(5), int64(0), int64(3), int64(745), 149.0, int64(20), int64(300), "cancelled"}},
	}, {
		name: "GROUP BY HAVING",
		stmt: func() builder.Statement {
			return builder.Select(o.UserID, expr.Sum(o.Amount)).From(o).GroupBy(o.UserID).
				Having(expr.Sum(o.Amount).Gt(100)).OrderBy(o.UserID.Asc())
		},
		rows: [][]any{{int64(1), int64(350)}, {int64(4), int64(320)}},
	}, {
		name: "window functions ROW_NUMBER RANK DENSE_RANK OVER (PARTITION BY ORDER BY)",
		stmt: func() builder.Statement {
			byStatus := expr.Window{}.OrderBy(o.Status.Asc())
			return builder.Select(o.ID,
				expr.RowNumber().Over(expr.PartitionBy(o.UserID).OrderBy(o.Amount.Desc())),
				expr.Rank().Over(byStatus), expr.DenseRank().Over(byStatus),
			).From(o).OrderBy(o.ID.Asc())
		},
		rows: [][]any{
			{int64(1), int64(2), int64(2), int64(2)}, {int64(2), int64(1), int64(2), int64(2)},
			{int64(3), int64(1), int64(5), int64(3)}, {int64(4), int64(1), int64(2), int64(2)},
			{int64(5), int64(2), int64(1), int64(1)},
		},
	}, {
		name: "aggregate as window function",
		stmt: func() builder.Statement {
			return builder.Select(o.ID, expr.Sum(o.Amount).Over(expr.PartitionBy(o.UserID))).From(o).OrderBy(o.ID.Asc())
		},
		rows: [][]any{{int64(1), int64(350)}, {int64(2), int64(350)}, {int64(3), int64(75)}, {int64(4), int64(320)}, {int64(5), int64(320)}},
	}, {
		name: "named functions",
		stmt: func() builder.Statement {
			return builder.Select(expr.Func[int64]("LENGTH", u.Name), expr.Upper(u.Name), expr.Lower(expr.Val("ABC"))).
				From(u).Where(u.ID.Eq(3))
		},
		rows: [][]any{{int64(5), "CAROL", "abc"}},
	}, {
		name: "Raw expression and condition with bound arguments",
		stmt: func() builder.Statement {
			return builder.Select(u.ID, expr.Raw[int64]("id * 10 + ?", int64(1))).From(u).
				Where(expr.RawCond("name <> ? AND id < ?", "bob", 4)).OrderBy(u.ID.Asc())
		},
		rows: [][]any{{int64(1), int64(11)}, {int64(3), int64(31)}},
	}, {
		name: "FROM a derived table (subquery)",
		stmt: func() builder.Statement {
			sub := builder.Select(o.UserID.As("user_id"), expr.Sum(o.Amount).As("total")).From(o).GroupBy(o.UserID)
			return builder.Select(totals.UserID, totals.Total).From(expr.FromQuery(totals, sub)).
				Where(totals.Total.Gt(100)).OrderBy(totals.UserID.Asc())
		},
		rows: [][]any{{int64(1), int64(350)}, {int64(4), int64(320)}},
	}, {
		name: "INNER JOIN with aliases",
		stmt: func() builder.Statement {
			return builder.Select(uu.Name, oo.Amount).From(uu).Join(oo, oo.UserID.EqExpr(uu.ID)).
				Where(oo.Status.Eq("paid")).OrderBy(oo.ID.Asc())
		},
		rows: [][]any{{"alice", int64(100)}, {"alice", int64(250)}, {"dave", int64(300)}},
	}, {
		name: "LEFT JOIN GROUP BY",
		stmt: func() builder.Statement {
			return builder.Select(uu.Name, expr.Count(oo.ID)).From(uu).LeftJoin(oo, oo.UserID.EqExpr(uu.ID)).
				GroupBy(uu.ID, uu.Name).OrderBy(uu.ID.Asc())
		},
		rows: [][]any{{"alice", int64(2)}, {"bob", int64(1)}, {"carol", int64(0)}, {"dave", int64(2)}},
	}, {
		name: "RIGHT JOIN",
		stmt: func() builder.Statement {
			return builder.Select(uu.Name, oo.ID).From(oo).RightJoin(uu, oo.UserID.EqExpr(uu.ID)).Where(oo.ID.IsNull())
		},
		rows: [][]any{{"carol", nil}},
	}, {
		name: "FULL JOIN",
		stmt: func() builder.Statement {
			return builder.Select(uu.ID, oo.ID).From(uu).FullJoin(oo, expr.And(oo.UserID.EqExpr(uu.ID), oo.Amount.Gt(200)))
		},
		unordered: true,
		rows: [][]any{{int64(1), int64(2)}, {int64(2), nil}, {int64(3), nil}, {int64(4), int64(4)},
			{nil, int64(1)}, {nil, int64(3)}, {nil, int64(5)}},
		unsupported: map[string]string{"mysql": "FULL JOIN", "mariadb": "FULL JOIN"},
	}, {
		name: "CROSS JOIN",
		stmt: func() builder.Statement { return builder.Select(expr.CountAll()).From(u).CrossJoin(categories) },
		rows: ids(16),
	}, {
		name: "comma-separated FROM",
		stmt: func() builder.Statement {
			return builder.Select(uu.Name).From(uu, oo).Where(oo.UserID.EqExpr(uu.ID), oo.ID.Eq(3))
		},
		rows: [][]any{{"bob"}},
	}, {
		name: "self-join",
		stmt: func() builder.Statement {
			c, p := expr.As(categories, "c"), expr.As(categories, "p")
			return builder.Select(c.Name, p.Name).From(c).Join(p, c.ParentID.EqExpr(p.ID)).OrderBy(c.ID.Asc())
		},
		rows: [][]any{{"child", "root"}, {"grandchild", "child"}},
	}, {
		name: "ORDER BY DESC NULLS FIRST",
		stmt: func() builder.Statement { return builder.Select(u.Name).From(u).OrderBy(u.Age.Desc().NullsFirst()) },
		rows: [][]any{{"carol"}, {"dave"}, {"alice"}, {"bob"}},
	}, {
		name: "ORDER BY ASC NULLS LAST, second key",
		stmt: func() builder.Statement {
			return builder.Select(u.Name).From(u).OrderBy(u.Age.Asc().NullsLast(), u.Name.Desc())
		},
		rows: [][]any{{"bob"}, {"alice"}, {"dave"}, {"carol"}},
	}, {
		name: "LIMIT OFFSET",
		stmt: func() builder.Statement { return builder.Select(u.ID).From(u).OrderBy(u.ID.Asc()).Limit(2).Offset(1) },
		rows: ids(2, 3),
	}, {
		name: "OFFSET without LIMIT",
		stmt: func() builder.Statement { return builder.Select(u.ID).From(u).OrderBy(u.ID.Asc()).Offset(2) },
		rows: ids(3, 4),
	}, {
		name:        "FOR UPDATE",
		stmt:        func() builder.Statement { return builder.Select(u.ID).From(u).Where(u.ID.Eq(1)).ForUpdate() },
		rows:        ids(1),
		unsupported: map[string]string{"sqlite": "FOR UPDATE"},
	}, {
		name:        "FOR SHARE",
		stmt:        func() builder.Statement { return builder.Select(u.ID).From(u).Where(u.ID.Eq(1)).ForShare() },
		rows:        ids(1),
		unsupported: map[string]string{"sqlite": "FOR UPDATE"},
	}, {
		name:   "FOR UPDATE SKIP LOCKED skips the row another session locked",
		before: lockUser1,
		stmt: func() builder.Statement {
			return builder.Select(u.ID).From(u).Where(u.ID.Le(2)).OrderBy(u.ID.Asc()).ForUpdate().SkipLocked()
		},
		rows:        ids(2),
		unsupported: map[string]string{"sqlite": "FOR UPDATE"},
	}, {
		name:        "FOR UPDATE NOWAIT fails on the row another session locked",
		before:      lockUser1,
		stmt:        func() builder.Statement { return builder.Select(u.ID).From(u).Where(u.ID.Eq(1)).ForUpdate().NoWait() },
		rows:        none,
		execErr:     "lock",
		unsupported: map[string]string{"sqlite": "FOR UPDATE"},
	}, {
		name: "WITH (common table expression)",
		stmt: func() builder.Statement {
			sums := builder.Select(o.UserID, expr.Sum(o.Amount)).From(o).GroupBy(o.UserID)
			return builder.Select(totals.UserID, totals.Total).From(totals).With(builder.CTE(totals, sums)).
				Where(totals.Total.Gt(100)).OrderBy(totals.UserID.Asc())
		},
		rows: [][]any{{int64(1), int64(350)}, {int64(4), int64(320)}},
	}, {
		name: "WITH RECURSIVE",
		stmt: func() builder.Statement {
			c := expr.As(categories, "c")
			base := builder.Select(categories.ID, categories.Name, expr.Cast[int64](expr.Val[int64](0))).From(categories).
				Where(categories.ParentID.IsNull(), categories.Name.Eq("root"))
			step := builder.Select(c.ID, c.Name, expr.Add(tree.Depth, expr.Val[int64](1))).From(c).
				Join(tree, c.ParentID.EqExpr(tree.ID))
			return builder.Select(tree.Name, tree.Depth).From(tree).
				WithRecursive(builder.CTE(tree, builder.UnionAll(base, step))).OrderBy(tree.Depth.Asc())
		},
		rows: [][]any{{"root", int64(0)}, {"child", int64(1)}, {"grandchild", int64(2)}},
	}, {
		name: "UNION",
		stmt: func() builder.Statement {
			return builder.Union(builder.Select(u.ID).From(u).Where(u.ID.Le(2)), builder.Select(o.UserID).From(o)).
				OrderBy(u.ID.Asc())
		},
		rows: ids(1, 2, 4),
	}, {
		name: "UNION ALL",
		stmt: func() builder.Statement {
			return builder.UnionAll(builder.Select(o.UserID).From(o).Where(o.UserID.Eq(1)), builder.Select(u.ID).From(u).Where(u.ID.Eq(1)))
		},
		rows: ids(1, 1, 1),
	}, {
		name: "INTERSECT",
		stmt: func() builder.Statement {
			return builder.Intersect(builder.Select(u.ID).From(u), builder.Select(o.UserID).From(o)).OrderBy(u.ID.Asc())
		},
		rows: ids(1, 2, 4),
	}, {
		name: "EXCEPT",
		stmt: func() builder.Statement {
			return builder.Except(builder.Select(u.ID).From(u), builder.Select(o.UserID).From(o))
		},
		rows: ids(3),
	}, {
		name: "set operation of three queries with LIMIT",
		stmt: func() builder.Statement {
			return builder.Union(builder.Select(u.ID).From(u).Where(u.ID.Eq(4)), builder.Select(u.ID).From(u).Where(u.ID.Eq(2)),
				builder.Select(u.ID).From(u).Where(u.ID.Eq(3))).OrderBy(u.ID.Desc()).Limit(2)
		},
		rows: ids(4, 3),
	}, {
		name: "reserved word and quote characters as identifiers",
		stmt: func() builder.Statement {
			return builder.Select(odd.Select, odd.DQuote, odd.BQuote).From(odd).Where(odd.Select.Eq(1), odd.DQuote.Eq("x"))
		},
		rows: [][]any{{int64(1), "x", "y"}},
	}}
}

func TestSelect(t *testing.T) { runStatementCases(t, selectCases()) }
