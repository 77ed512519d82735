package conn

import (
	"database/sql"
	"fmt"
	"time"
)

// SQLite keeps no type for a computed column (expr.DateTrunc, expr.AddTime, expr.Now,
// MAX(created_at)): its driver hands such a time to database/sql as the text the connection
// wrote it in, which Scan will not store into a time.Time. A scan that failed with a time
// destination is tried once more with those destinations reading that text. A scan that
// succeeds costs nothing more.

// textTimeLayouts are the forms SQLite's date functions and the driver write: the
// connection's own (UTC, "+00:00", no trailing zeros in the fraction) first.
var textTimeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
}

// textTime is a time.Time destination that also takes text; a text without a zone is UTC.
type textTime struct {
	t    *time.Time
	tp   **time.Time // a *time.Time destination: NULL is nil
	null *sql.NullTime
}

func (d textTime) Scan(src any) error {
	var t time.Time
	switch v := src.(type) {
	case nil:
		switch {
		case d.tp != nil:
			*d.tp = nil
			return nil
		case d.null != nil:
			*d.null = sql.NullTime{}
			return nil
		}
		return fmt.Errorf("converting NULL to time.Time is unsupported")
	case time.Time:
		t = v
	case string:
		var err error
		if t, err = parseTextTime(v); err != nil {
			return err
		}
	case []byte:
		var err error
		if t, err = parseTextTime(string(v)); err != nil {
			return err
		}
	default:
		return fmt.Errorf("converting %T to time.Time is unsupported", src)
	}
	switch {
	case d.t != nil:
		*d.t = t
	case d.tp != nil:
		*d.tp = &t
	default:
		*d.null = sql.NullTime{Time: t, Valid: true}
	}
	return nil
}

func parseTextTime(s string) (time.Time, error) {
	for _, layout := range textTimeLayouts {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("converting text %q to time.Time: not a time SQLite writes", s)
}

// rescanTextTimes scans the current row again with dest's time destinations reading text,
// if it has any; tried is false when it has none (the first error stands).
func rescanTextTimes(rows *sql.Rows, dest []any) (tried bool, err error) {
	var alt []any
	for i, d := range dest {
		var r sql.Scanner
		switch p := d.(type) {
		case *time.Time:
			r = textTime{t: p}
		case **time.Time:
			r = textTime{tp: p}
		case *sql.NullTime:
			r = textTime{null: p}
		case *sql.Null[time.Time]:
			r = nullTextTime{p}
		default:
			continue
		}
		if alt == nil {
			alt = append([]any(nil), dest...)
		}
		alt[i] = r
	}
	if alt == nil {
		return false, nil
	}
	return true, rows.Scan(alt...)
}

// nullTextTime is textTime for a sql.Null[time.Time] destination.
type nullTextTime struct{ p *sql.Null[time.Time] }

func (d nullTextTime) Scan(src any) error {
	var nt sql.NullTime
	if err := (textTime{null: &nt}).Scan(src); err != nil {
		return err
	}
	*d.p = sql.Null[time.Time]{V: nt.Time, Valid: nt.Valid}
	return nil
}
