package conn

import "github.com/typedsql/typedsql/builder"

// tableLister is the contract by which Using and routers learn a statement's tables:
// builder.TableLister, which every builder statement implements (builder asserts it at
// compile time). Hand-written SQL does not list its tables and is not routed by table.
type tableLister = builder.TableLister
