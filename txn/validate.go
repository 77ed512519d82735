package txn

import (
	"errors"

	"github.com/typedsql/typedsql/dialect"
)

var (
	// ErrUnsupported matches an option the engine cannot honour (an isolation level on SQLite,
	// DEFERRABLE outside PostgreSQL). Options are never silently dropped.
	ErrUnsupported = errors.New("txn: option not supported by the engine")
	// ErrInvalidOption matches an option that is wrong whatever the engine: an unknown value,
	// a contradiction, or a transaction option on a nested block.
	ErrInvalidOption = errors.New("txn: invalid transaction option")
)

// OptionError reports an option that cannot be used. It matches ErrUnsupported when the engine
// is the reason, ErrInvalidOption otherwise.
type OptionError struct {
	Option string // the option as SQL spells it, e.g. "isolation level SERIALIZABLE"
	Engine string // the dialect's name, when the engine is the reason
	Reason string // why, and what to do instead
}

func (e *OptionError) Error() string {
	if e.Engine != "" {
		return "txn: " + e.Engine + " does not support " + e.Option + ": " + e.Reason
	}
	return "txn: " + e.Option + ": " + e.Reason
}

// Is makes errors.Is(err, ErrUnsupported) or errors.Is(err, ErrInvalidOption) hold.
func (e *OptionError) Is(target error) bool {
	if e.Engine != "" {
		return target == ErrUnsupported
	}
	return target == ErrInvalidOption
}

// Validate checks o against what d can express, so that an option the engine would ignore or
// reject is an error before anything is sent.
func (o Options) Validate(d dialect.Dialect) error {
	caps := d.Caps()
	name := d.Name()
	if o.Isolation > Serializable {
		return &OptionError{Option: o.Isolation.String(), Reason: "not an isolation level; use txn.ReadCommitted, txn.RepeatableRead, txn.Serializable or txn.ReadUncommitted"}
	}
	if o.Access > ReadOnly {
		return &OptionError{Option: o.Access.String(), Reason: "not an access mode; use txn.ReadOnly or txn.ReadWrite"}
	}
	if o.Lock > Exclusive {
		return &OptionError{Option: o.Lock.String(), Reason: "not an SQLite lock mode; use txn.Deferred, txn.Immediate or txn.Exclusive"}
	}
	if o.Isolation != 0 && !caps.TxIsolation {
		return &OptionError{Option: "isolation level " + o.Isolation.String(), Engine: name,
			Reason: "the engine has no isolation levels (SQLite runs every transaction serializably); drop the option"}
	}
	if o.Access != 0 && !caps.TxReadOnly {
		return &OptionError{Option: o.Access.String() + " transactions", Engine: name,
			Reason: "the engine cannot declare a transaction's access mode; drop the option (on SQLite, txn.Deferred begins without taking the write lock)"}
	}
	if o.Deferrable {
		if !caps.TxDeferrable {
			return &OptionError{Option: "DEFERRABLE", Engine: name, Reason: "it is PostgreSQL's; drop the option"}
		}
		if o.Isolation != Serializable || o.Access != ReadOnly {
			return &OptionError{Option: "DEFERRABLE", Reason: "it needs txn.Serializable and txn.ReadOnly as well (PostgreSQL ignores it otherwise)"}
		}
	}
	if o.Lock != 0 && caps.TxBegin != dialect.BeginLocking {
		return &OptionError{Option: "BEGIN " + o.Lock.String(), Engine: name,
			Reason: "lock modes are SQLite's; drop the option (use an isolation level instead)"}
	}
	return o.Retry.validate()
}

// CheckNested checks the options of a nested block against the transaction it runs in. A
// savepoint cannot change isolation, access or locking, so a nested block may repeat what the
// transaction already is, but not ask for more; Retry in a nested block has no effect, because
// only the whole transaction can be run again.
func (o Options) CheckNested(tx Options) error {
	const fix = "a nested block runs in the transaction its outermost block began; put transaction options on the outermost block"
	if o.Isolation != 0 && o.Isolation != tx.Isolation {
		return &OptionError{Option: "isolation level " + o.Isolation.String() + " in a nested block",
			Reason: "the transaction runs at level " + tx.Isolation.String() + "; " + fix}
	}
	if o.Access == ReadOnly && tx.Access != ReadOnly || o.Access == ReadWrite && tx.Access == ReadOnly {
		return &OptionError{Option: o.Access.String() + " in a nested block",
			Reason: "the transaction is " + accessOf(tx.Access) + "; " + fix}
	}
	if o.Deferrable && !tx.Deferrable {
		return &OptionError{Option: "DEFERRABLE in a nested block", Reason: "the transaction is not DEFERRABLE; " + fix}
	}
	if o.Lock != 0 && o.Lock != tx.Lock && !(o.Lock == Immediate && tx.Lock == 0) {
		return &OptionError{Option: "BEGIN " + o.Lock.String() + " in a nested block",
			Reason: "the transaction began " + tx.Lock.String() + "; " + fix}
	}
	return o.Retry.validate()
}

func accessOf(a Access) string {
	if a == ReadOnly {
		return "READ ONLY"
	}
	return "READ WRITE"
}
