package typecheck

// The typed functions that differ per engine (expr's funcs_*.go and keyset.go) take plain
// values typed by their column: these are the mix-ups they must refuse. Kept apart from
// mismatches' own list so that the two grow without touching each other.
func init() { mismatches = append(mismatches, funcMismatches...) }

var funcMismatches = []mismatch{
	{
		name: "Coalesce: an int fallback for a string column",
		good: `_ = expr.Coalesce(Users.Email, "none")`,
		bad:  `_ = expr.Coalesce(Users.Email, 3)`,
		want: `cannot use 3 (untyped int constant) as string value in argument to expr.Coalesce`,
	},
	{
		name: "NullIf: a string sentinel for an int64 column",
		good: `_ = expr.NullIf(Users.ID, 0)`,
		bad:  `_ = expr.NullIf(Users.ID, "0")`,
		want: `cannot use "0" (untyped string constant) as int64 value in argument to expr.NullIf`,
	},
	{
		name: "Greatest: a string beside an int64 column",
		good: `_ = expr.Greatest(Users.ID, expr.Val(int64(1)))`,
		bad:  `_ = expr.Greatest(Users.ID, expr.Val("1"))`,
		want: `type expr.Expr[string] of expr.Val("1") does not match inferred type expr.Of[int64] for expr.Of[T]`,
	},
	{
		name: "Length of a time column",
		good: `_ = expr.Length(Users.Name)`,
		bad:  `_ = expr.Length(Users.CreatedAt)`,
		want: `T (type time.Time) does not satisfy expr.Text`,
	},
	{
		name: "Replace: an int replacement in a string column",
		good: `_ = expr.Replace(Users.Name, "-", "")`,
		bad:  `_ = expr.Replace(Users.Name, "-", 0)`,
		want: `cannot use 0 (untyped int constant) as string value in argument to expr.Replace`,
	},
	{
		name: "DateTrunc of a string column",
		good: `_ = expr.DateTrunc(expr.Month, Users.CreatedAt)`,
		bad:  `_ = expr.DateTrunc(expr.Month, Users.Name)`,
		want: `cannot use Users.Name (variable of struct type expr.Column[string]) as expr.Of[time.Time] value in argument to expr.DateTrunc`,
	},
	{
		name:  "FormatTime's result compared with a time",
		setup: `t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)`,
		good:  `_ = expr.FormatTime(Users.CreatedAt, "2006-01").Eq(t0.Format("2006-01"))`,
		bad:   `_ = expr.FormatTime(Users.CreatedAt, "2006-01").Eq(t0)`,
		want:  `cannot use t0 (variable of struct type time.Time) as string value in argument to expr.FormatTime(Users.CreatedAt, "2006-01").Eq`,
	},
	{
		name: "AddTime compared with an int",
		good: `_ = Users.CreatedAt.GtExpr(expr.AddTime(expr.Now(), -7, expr.Day))`,
		bad:  `_ = Users.ID.GtExpr(expr.AddTime(expr.Now(), -7, expr.Day))`,
		want: `as expr.Of[int64] value in argument to Users.ID.GtExpr`,
	},
	{
		name:  "Key: a string cursor for an int64 key",
		setup: `var last struct{ ID int64; Name string }`,
		good:  `_ = builder.Select(Users.ID).From(Users).SeekAfter(expr.Key(Users.ID, last.ID))`,
		bad:   `_ = builder.Select(Users.ID).From(Users).SeekAfter(expr.Key(Users.ID, last.Name))`,
		want:  `type string of last.Name does not match inferred type int64 for T`,
	},
}
