package txn_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/dialect"
	"github.com/typedsql/typedsql/txn"
)

func TestBeginSQL(t *testing.T) {
	cases := []struct {
		d    dialect.Dialect
		opts []txn.Option
		want []string
	}{
		{dialect.Postgres, nil, []string{"BEGIN"}},
		{dialect.Postgres, []txn.Option{txn.RepeatableRead}, []string{"BEGIN ISOLATION LEVEL REPEATABLE READ"}},
		{dialect.Postgres, []txn.Option{txn.ReadOnly}, []string{"BEGIN READ ONLY"}},
		{dialect.Postgres, []txn.Option{txn.Serializable, txn.ReadOnly, txn.Deferrable}, []string{"BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY DEFERRABLE"}},
		{dialect.Postgres, []txn.Option{txn.ReadCommitted, txn.ReadWrite}, []string{"BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE"}},
		{dialect.MySQL, nil, []string{"START TRANSACTION"}},
		{dialect.MySQL, []txn.Option{txn.ReadOnly}, []string{"START TRANSACTION READ ONLY"}},
		{dialect.MariaDB, []txn.Option{txn.Serializable}, []string{"SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", "START TRANSACTION"}},
		{dialect.MySQL, []txn.Option{txn.ReadUncommitted, txn.ReadWrite}, []string{"SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED", "START TRANSACTION READ WRITE"}},
		{dialect.SQLite, nil, []string{"BEGIN IMMEDIATE"}},
		{dialect.SQLite, []txn.Option{txn.Deferred}, []string{"BEGIN DEFERRED"}},
		{dialect.SQLite, []txn.Option{txn.Exclusive}, []string{"BEGIN EXCLUSIVE"}},
		// A later option of the same kind wins.
		{dialect.Postgres, []txn.Option{txn.Serializable, nil, txn.ReadCommitted}, []string{"BEGIN ISOLATION LEVEL READ COMMITTED"}},
	}
	for _, c := range cases {
		o := txn.Collect(c.opts...)
		if err := o.Validate(c.d); err != nil {
			t.Errorf("%s %v: Validate: %v", c.d.Name(), c.opts, err)
			continue
		}
		if got := txn.BeginSQL(c.d, o); !slices.Equal(got, c.want) {
			t.Errorf("%s %v: BeginSQL = %q; want %q", c.d.Name(), c.opts, got, c.want)
		}
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		d    dialect.Dialect
		opts []txn.Option
		want error  // nil, txn.ErrUnsupported or txn.ErrInvalidOption
		says string // a fragment the message must hold
	}{
		{dialect.SQLite, []txn.Option{txn.Serializable}, txn.ErrUnsupported, "sqlite does not support isolation level SERIALIZABLE"},
		{dialect.SQLite, []txn.Option{txn.ReadOnly}, txn.ErrUnsupported, "sqlite does not support READ ONLY"},
		{dialect.SQLite, []txn.Option{txn.Deferrable}, txn.ErrUnsupported, "DEFERRABLE"},
		{dialect.MySQL, []txn.Option{txn.Serializable, txn.ReadOnly, txn.Deferrable}, txn.ErrUnsupported, "mysql does not support DEFERRABLE"},
		{dialect.MariaDB, []txn.Option{txn.Deferrable}, txn.ErrUnsupported, "mariadb does not support DEFERRABLE"},
		{dialect.Postgres, []txn.Option{txn.Deferrable}, txn.ErrInvalidOption, "needs txn.Serializable and txn.ReadOnly"},
		{dialect.Postgres, []txn.Option{txn.Serializable, txn.Deferrable}, txn.ErrInvalidOption, "DEFERRABLE"},
		{dialect.Postgres, []txn.Option{txn.Immediate}, txn.ErrUnsupported, "postgres does not support BEGIN IMMEDIATE"},
		{dialect.MySQL, []txn.Option{txn.Deferred}, txn.ErrUnsupported, "BEGIN DEFERRED"},
		{dialect.Postgres, []txn.Option{txn.Level(7)}, txn.ErrInvalidOption, "Level(7)"},
		{dialect.Postgres, []txn.Option{txn.Access(5)}, txn.ErrInvalidOption, "Access(5)"},
		{dialect.SQLite, []txn.Option{txn.Lock(9)}, txn.ErrInvalidOption, "Lock(9)"},
		{dialect.Postgres, []txn.Option{txn.Retry(-2)}, txn.ErrInvalidOption, "Retry(-2)"},
		{dialect.MySQL, []txn.Option{txn.RetryPolicy{Attempts: 3, BaseDelay: -1}}, txn.ErrInvalidOption, "negative"},
		{dialect.MySQL, []txn.Option{txn.RetryPolicy{Attempts: 3, BaseDelay: 2, MaxDelay: 1}}, txn.ErrInvalidOption, "exceeds"},
		{dialect.SQLite, []txn.Option{txn.Retry(3), txn.Deferred}, nil, ""},
		{dialect.Postgres, []txn.Option{txn.Serializable, txn.ReadOnly, txn.Deferrable, txn.Retry(5)}, nil, ""},
	}
	for _, c := range cases {
		err := txn.Collect(c.opts...).Validate(c.d)
		if c.want == nil {
			if err != nil {
				t.Errorf("%s %v: %v; want no error", c.d.Name(), c.opts, err)
			}
			continue
		}
		if !errors.Is(err, c.want) {
			t.Errorf("%s %v: %v; want %v", c.d.Name(), c.opts, err, c.want)
			continue
		}
		if !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s %v: %q does not say %q", c.d.Name(), c.opts, err, c.says)
		}
		var oe *txn.OptionError
		if !errors.As(err, &oe) {
			t.Errorf("%s %v: %T is not an *OptionError", c.d.Name(), c.opts, err)
		}
	}
}

func TestCheckNested(t *testing.T) {
	outer := txn.Collect(txn.Serializable, txn.ReadOnly)
	cases := []struct {
		opts []txn.Option
		ok   bool
	}{
		{nil, true},
		{[]txn.Option{txn.Serializable}, true},
		{[]txn.Option{txn.ReadOnly}, true},
		{[]txn.Option{txn.Retry(5)}, true}, // no effect in a nested block
		{[]txn.Option{txn.ReadCommitted}, false},
		{[]txn.Option{txn.ReadWrite}, false},
		{[]txn.Option{txn.Serializable, txn.ReadOnly, txn.Deferrable}, false},
		{[]txn.Option{txn.Retry(-1)}, false},
	}
	for _, c := range cases {
		err := txn.Collect(c.opts...).CheckNested(outer)
		if c.ok != (err == nil) {
			t.Errorf("nested %v in %+v: %v", c.opts, outer, err)
		}
		if err != nil && !errors.Is(err, txn.ErrInvalidOption) {
			t.Errorf("nested %v: %v does not match ErrInvalidOption", c.opts, err)
		}
	}
	if err := txn.Collect(txn.ReadOnly).CheckNested(txn.Options{}); err == nil || !strings.Contains(err.Error(), "outermost block") {
		t.Errorf("read-only nested in read-write: %v; want an error pointing at the outermost block", err)
	}
	if err := txn.Collect(txn.Immediate).CheckNested(txn.Options{Lock: txn.Immediate}); err != nil {
		t.Errorf("IMMEDIATE nested in IMMEDIATE: %v", err)
	}
}

func TestOptionStrings(t *testing.T) {
	for v, want := range map[interface{ String() string }]string{
		txn.Level(0): "default", txn.ReadUncommitted: "READ UNCOMMITTED", txn.RepeatableRead: "REPEATABLE READ",
		txn.ReadOnly: "READ ONLY", txn.ReadWrite: "READ WRITE", txn.Access(0): "default",
		txn.Deferred: "DEFERRED", txn.Immediate: "IMMEDIATE", txn.Exclusive: "EXCLUSIVE", txn.Lock(0): "default",
	} {
		if got := v.String(); got != want {
			t.Errorf("%#v.String() = %q; want %q", v, got, want)
		}
	}
}
