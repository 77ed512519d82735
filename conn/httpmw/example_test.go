package httpmw_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/conn/httpmw"
	_ "github.com/typedsql/typedsql/conn/mysql"    // mysql://, mariadb://
	_ "github.com/typedsql/typedsql/conn/postgres" // postgres://
	_ "github.com/typedsql/typedsql/conn/sqlite"   // sqlite://
)

// Each request is one transaction: committed when the handler answers below 500, rolled back
// on 5xx or a panic.
func ExampleTransaction() {
	ctx := context.Background()
	db, err := conn.Open(ctx, "sqlite:///:memory:")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	db.Exec(ctx, conn.SQL("CREATE TABLE orders (item text)"))

	mux := http.NewServeMux()
	mux.HandleFunc("POST /orders/{item}", func(w http.ResponseWriter, r *http.Request) {
		// r.Context() carries the request's connection and transaction.
		if _, err := db.Exec(r.Context(), conn.SQL("INSERT INTO orders VALUES (?)"), r.PathValue("item")); err != nil {
			http.Error(w, "cannot order", http.StatusInternalServerError)
			return
		}
		if r.PathValue("item") == "unicorn" {
			http.Error(w, "out of stock", http.StatusServiceUnavailable) // rolls the INSERT back
			return
		}
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, "ordered")
	})
	handler := httpmw.Transaction(db)(mux)

	for _, item := range []string{"tea", "unicorn", "cake"} {
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, httptest.NewRequest("POST", "/orders/"+item, nil))
		fmt.Println(item, rec.Code)
	}
	items, _ := conn.All[string](ctx, db, conn.SQL("SELECT item FROM orders ORDER BY item"))
	fmt.Println(items)
	// Output:
	// tea 201
	// unicorn 503
	// cake 201
	// [cake tea]
}

// Conn pins one connection per request, without a transaction: session state set by one
// statement is there for the next.
func ExampleConn() {
	ctx := context.Background()
	db, err := conn.Open(ctx, "sqlite:///:memory:")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	handler := httpmw.Conn(db)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		db.Exec(r.Context(), conn.SQL("CREATE TEMPORARY TABLE seen (n int)"))
		db.Exec(r.Context(), conn.SQL("INSERT INTO seen VALUES (1)"))
		n, _ := conn.Scalar[int](r.Context(), db, conn.SQL("SELECT COUNT(*) FROM seen"))
		db.Exec(r.Context(), conn.SQL("DROP TABLE seen")) // session state outlives the request otherwise
		fmt.Fprint(w, n)
	}))
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	fmt.Println(rec.Body.String(), db.Stats().InUse)
	// Output: 1 0
}
