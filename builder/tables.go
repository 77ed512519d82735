package builder

// TableLister is the contract by which conn routes a statement (conn.Using, routers): a
// statement that implements it says which tables it reads or writes, each as the table
// descriptor's TableName ("schema.name", or "name" without a schema). CTE names are not
// tables. Every statement of this package implements it, from the same rendering walk that
// writes its SQL:
//
//	builder.Select(u.Name).From(u).Join(o, o.UserID.EqExpr(u.ID)).Tables()
//	// [users orders]
//
// A statement that does not implement it (conn.SQL text) cannot be routed by table.
type TableLister interface {
	Tables() []string
}

// Every statement type lists its tables; a type that stopped would fail to compile here
// rather than silently escape routing in conn.
var (
	_ TableLister = (*SelectStmt)(nil)
	_ TableLister = (*SetStmt)(nil)
	_ TableLister = (*InsertStmt)(nil)
	_ TableLister = (*UpdateStmt)(nil)
	_ TableLister = (*DeleteStmt)(nil)
	_ TableLister = SelectOf[int]{}
)
