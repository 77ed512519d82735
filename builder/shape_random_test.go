package builder_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/expr"
)

// The shape cache serves a statement the text of an earlier statement whose shape (its
// structure and the identity of its parts, computed by builder/shape.go and expr/shape.go)
// was the same. That walk is kept beside the writer's walk, so two statements the shape walk
// takes for one while the writer writes them differently would get each other's SQL.
// TestShapeCacheServesEveryStatementItsOwnSQL checks a fixed corpus of neighbours; the tests
// below generate statements of every form the cache serves, part by part from a stream of
// bytes, each with its neighbours (the same statement with one part changed), and hold each
// Build, served from the cache once its shape is known, to expr.Render, which always writes
// the statement afresh.

// TestShapeCacheRandomStatements runs the generator on a fixed series of pseudo-random
// inputs, so that plain go test covers it; FuzzShapeCache searches further:
//
//	go test ./builder -run '^$' -fuzz '^FuzzShapeCache$' -fuzztime 60s
func TestShapeCacheRandomStatements(t *testing.T) {
	n := 600
	if testing.Short() {
		n = 100
	}
	r := rand.New(rand.NewPCG(12, 6))
	in := make([]byte, 48)
	for range n {
		for j := range in {
			in[j] = byte(r.Uint32())
		}
		checkShapeCacheNeighbours(t, in)
	}
}

func FuzzShapeCache(f *testing.F) {
	for _, s := range []string{"", "\x00", "\x01\x02\x03", "\xff\xfe\xfd\xfc\xfb\xfa", "select", "insert into",
		"\x02\x05\x07\x01\x00\x03\x09\x02\x04", "\x03\x03\x03\x03\x03\x03\x03\x03\x03\x03\x03"} {
		f.Add([]byte(s))
	}
	f.Fuzz(checkShapeCacheNeighbours)
}

// checkShapeCacheNeighbours checks the statement in makes and then its neighbours: each
// statement made from in with one of the choices it used changed. A neighbour differs from
// the statement in one part, and from it alone, so a shape walk that leaves out a part
// (a flag, an operator, a count) takes the two for one shape, and the neighbour gets the
// statement's SQL. Random statements alone rarely share all their other parts.
func checkShapeCacheNeighbours(t *testing.T, in []byte) {
	t.Helper()
	used := checkShapeCache(t, in)
	next := slices.Clone(in)
	for i := range used {
		for _, delta := range []byte{1, 2, 3} {
			next[i] = in[i] + delta
			checkShapeCache(t, next)
		}
		next[i] = in[i]
	}
}

// checkShapeCache builds the statement in makes, for every dialect, twice through Build
// and once afresh, and fails if they differ in SQL, arguments or error. It returns how many
// bytes of in the statement used.
func checkShapeCache(t *testing.T, in []byte) (used int) {
	t.Helper()
	g := &stmtGen{in: in}
	s := g.statement()
	for _, d := range goldenDialects {
		wantSQL, wantArgs, wantErr := expr.Render(d, s)
		for i := range 2 {
			sql, args, err := s.Build(d)
			if sql != wantSQL || !reflect.DeepEqual(args, wantArgs) || fmt.Sprint(err) != fmt.Sprint(wantErr) {
				t.Fatalf("input %x, %s, Build %d:\n  got  %q %#v %v\n  want %q %#v %v\n(the statement: %s)",
					in, d.Name(), i+1, sql, args, err, wantSQL, wantArgs, wantErr, expr.Debug(d, s))
			}
		}
	}
	return min(g.i, len(in))
}

// stmtGen makes a statement of the forms the shape cache serves (and a few it does not, next
// to them) from a stream of bytes; past the end of the stream every choice is 0.
type stmtGen struct {
	in []byte
	i  int
}

// pick is a choice among n.
func (g *stmtGen) pick(n int) int {
	if g.i >= len(g.in) {
		return 0
	}
	b := g.in[g.i]
	g.i++
	return int(b) % n
}

func (g *stmtGen) yes() bool { return g.pick(2) == 1 }

// Values chosen so that neighbours differ: small integers (boxed without allocating) and
// large ones, a LIMIT beyond 32 bits (which a shape word cannot hold).
var (
	genInts   = []int64{0, 1, 2, 255, 256, 4242, -7, 1<<32 + 5}
	genNames  = []string{"", "ann", "a%", "bob"}
	genCounts = []int64{0, 1, 10, 11, 1<<32 + 10}
)

func (g *stmtGen) int() int64     { return genInts[g.pick(len(genInts))] }
func (g *stmtGen) name() string   { return genNames[g.pick(len(genNames))] }
func (g *stmtGen) count() int64   { return genCounts[g.pick(len(genCounts))] }
func (g *stmtGen) upTo(n int) int { return g.pick(n + 1) }

func (g *stmtGen) statement() builder.Statement {
	switch g.pick(4) {
	case 0:
		return g.selectStmt()
	case 1:
		return g.insertStmt()
	case 2:
		return g.updateStmt()
	default:
		return g.deleteStmt()
	}
}

// scope is the tables a generated statement reads: users alone, its alias u, or u joined
// with o.
type scope struct {
	id, visits expr.Column[int64] // visits: a second int64 column to compare id with
	name       expr.Column[string]
	email      expr.Nullable[string]
	joined     bool
}

// usersScope reads users alone: an UPDATE's or DELETE's table.
var usersScope = scope{id: Users.ID, visits: Users.ID, name: Users.Name, email: Users.Email}

func (g *stmtGen) scope(canJoin bool) scope {
	switch n := g.pick(3); {
	case n == 0:
		return usersScope
	case n == 1 || !canJoin:
		return scope{id: u.ID, visits: u.ID, name: u.Name, email: u.Email}
	default:
		return scope{id: o.ID, visits: o.UserID, name: u.Name, email: o.Note, joined: true}
	}
}

// item is a select item, a GROUP BY or RETURNING expression.
func (g *stmtGen) item(sc scope) expr.Expression {
	switch g.pick(9) {
	case 0:
		return sc.id
	case 1:
		return sc.name
	case 2:
		return sc.email
	case 3:
		return expr.Count(sc.id)
	case 4:
		return expr.CountDistinct(sc.id)
	case 5:
		return expr.Max(sc.id)
	case 6:
		return expr.Min(sc.name)
	case 7:
		return expr.Null[int64]()
	default:
		return expr.CountAll()
	}
}

func (g *stmtGen) items(sc scope, min, max int) []expr.Expression {
	xs := make([]expr.Expression, min+g.pick(max-min+1))
	for i := range xs {
		xs[i] = g.item(sc)
	}
	return xs
}

func (g *stmtGen) cond(sc scope, depth int) expr.Cond {
	n := 14
	if depth > 1 {
		n = 11 // no more nesting
	}
	switch g.pick(n) {
	case 0:
		return sc.id.Eq(g.int())
	case 1:
		return sc.id.Ne(g.int())
	case 2:
		return sc.id.Lt(g.int())
	case 3:
		return sc.id.Ge(g.int())
	case 4:
		return sc.name.Eq(g.name())
	case 5:
		vs := make([]int64, g.upTo(4)) // IN () is an error, for both paths alike
		for i := range vs {
			vs[i] = g.int()
		}
		if g.yes() {
			return sc.id.NotIn(vs...)
		}
		return sc.id.In(vs...)
	case 6:
		if g.yes() {
			return sc.id.NotBetween(g.int(), g.int())
		}
		return sc.id.Between(g.int(), g.int())
	case 7:
		if g.yes() {
			return sc.email.IsNotNull()
		}
		return sc.email.IsNull()
	case 8:
		if g.yes() {
			return expr.ILike(sc.name, g.name())
		}
		return expr.Like(sc.name, g.name())
	case 9:
		return sc.id.EqExpr(sc.visits)
	case 10:
		return expr.Count(sc.id).Gt(g.int())
	case 11:
		return expr.And(g.conds(sc, depth+1, 0, 3)...)
	case 12:
		return expr.Or(g.conds(sc, depth+1, 0, 3)...)
	default:
		return expr.Not(g.cond(sc, depth+1))
	}
}

func (g *stmtGen) conds(sc scope, depth, min, max int) []expr.Cond {
	cs := make([]expr.Cond, min+g.pick(max-min+1))
	for i := range cs {
		cs[i] = g.cond(sc, depth)
	}
	return cs
}

func (g *stmtGen) orders(sc scope) []expr.Order {
	os := make([]expr.Order, g.upTo(2))
	for i := range os {
		var o expr.Order
		switch g.pick(3) {
		case 0:
			o = sc.id.Asc()
		case 1:
			o = sc.name.Desc()
		default:
			o = expr.Count(sc.id).Desc()
		}
		switch g.pick(3) {
		case 1:
			o = o.NullsFirst()
		case 2:
			o = o.NullsLast()
		}
		os[i] = o
	}
	return os
}

func (g *stmtGen) selectStmt() builder.Statement {
	sc := g.scope(true)
	var s *builder.SelectStmt
	if g.yes() {
		s = builder.SelectDistinct(g.items(sc, 1, 4)...)
	} else {
		s = builder.Select(g.items(sc, 1, 4)...)
	}
	switch {
	case sc.joined && g.yes():
		s.From(u).LeftJoin(o, o.UserID.EqExpr(u.ID))
	case sc.joined && g.yes():
		s.From(u).Join(o, expr.And(append(g.conds(sc, 1, 0, 1), o.UserID.EqExpr(u.ID))...))
	case sc.joined:
		s.From(u).CrossJoin(o)
	case sc.id == Users.ID:
		s.From(Users)
	default:
		s.From(u)
	}
	s.Where(g.conds(sc, 0, 0, 3)...)
	if g.yes() {
		s.GroupBy(g.items(sc, 1, 2)...)
		if g.yes() {
			s.Having(g.cond(sc, 1))
		}
	}
	s.OrderBy(g.orders(sc)...)
	if g.yes() {
		s.Limit(g.count())
	}
	if g.yes() {
		s.Offset(g.count())
	}
	switch g.pick(5) {
	case 1:
		s.ForUpdate()
	case 2:
		s.ForShare()
	case 3:
		s.ForUpdate().SkipLocked()
	case 4:
		s.ForUpdate().NoWait()
	}
	return s
}

// columnKinds chooses the columns of an INSERT row or an UPDATE's SET list: 1 to 3 of six
// kinds of assignment.
func (g *stmtGen) columnKinds() []int {
	kinds := make([]int, 1+g.pick(3))
	for i := range kinds {
		kinds[i] = g.pick(6)
	}
	return kinds
}

// assignments makes one assignment of each kind, with values of its own.
func (g *stmtGen) assignments(kinds []int) []expr.Assignment {
	as := make([]expr.Assignment, len(kinds))
	for i, k := range kinds {
		switch k {
		case 0:
			as[i] = Users.Name.Set(g.name())
		case 1:
			as[i] = Users.Email.Set(g.name())
		case 2:
			as[i] = Users.Email.SetNull()
		case 3:
			as[i] = Users.Visits.Set(int32(g.int()))
		case 4:
			as[i] = Users.Name.SetDefault()
		default:
			as[i] = Users.Visits.SetExpr(Users.Visits)
		}
	}
	return as
}

func (g *stmtGen) insertStmt() builder.Statement {
	s := builder.InsertInto(Users)
	if g.pick(8) == 0 {
		s.DefaultValues()
	} else {
		kinds := g.columnKinds()
		for range 1 + g.pick(3) { // the same columns in every row, values of its own
			s.Values(g.assignments(kinds)...)
		}
	}
	if g.yes() {
		s.Ignore()
	}
	if g.yes() {
		s.Returning(g.items(usersScope, 1, 2)...)
	}
	return s
}

func (g *stmtGen) updateStmt() builder.Statement {
	s := builder.Update(Users).Set(g.assignments(g.columnKinds())...)
	sc := usersScope
	if g.yes() {
		s.AllRows()
	}
	s.Where(g.conds(sc, 0, 0, 2)...)
	return s
}

func (g *stmtGen) deleteStmt() builder.Statement {
	s := builder.DeleteFrom(Users)
	sc := usersScope
	if g.yes() {
		s.AllRows()
	}
	s.Where(g.conds(sc, 0, 0, 2)...)
	if g.yes() {
		s.OrderBy(g.orders(sc)...)
		s.Limit(g.count())
	}
	if g.yes() {
		s.Returning(g.items(sc, 1, 2)...)
	}
	return s
}
