package builder_test

import (
	"testing"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/expr"
)

var sinkStmt *builder.SelectStmt

func BenchmarkPartsQ1Construct(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkStmt = builder.Select(Users.ID, Users.Name, Users.Email).From(Users).Where(Users.ID.Eq(benchID))
	}
}

func BenchmarkPartsQ1Build(b *testing.B) {
	b.ReportAllocs()
	s := builder.Select(Users.ID, Users.Name, Users.Email).From(Users).Where(Users.ID.Eq(benchID))
	for b.Loop() {
		s.Build(dialect.Postgres)
	}
}

func q2Stmt() *builder.SelectStmt {
	return builder.Select(u.ID, u.Name, expr.Count(o.ID)).
		From(u).LeftJoin(o, o.UserID.EqExpr(u.ID)).
		Where(u.Active.Eq(benchActive)).Where(u.CreatedAt.Gt(benchTime)).
		Where(expr.Like(u.Name, benchPattern)).
		GroupBy(u.ID, u.Name).Having(expr.Count(o.ID).Gt(benchMin)).
		OrderBy(u.Name.Desc()).Limit(20).Offset(40)
}

func BenchmarkPartsQ2Construct(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkStmt = q2Stmt()
	}
}

func BenchmarkPartsQ2Build(b *testing.B) {
	b.ReportAllocs()
	s := q2Stmt()
	for b.Loop() {
		s.Build(dialect.Postgres)
	}
}
