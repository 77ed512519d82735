package expr

import (
	"database/sql/driver"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/typedsql/typedsql/dialect"
)

func quote(s string) string { return strconv.Quote(s) }

// literal writes v as an SQL literal for Debug output. It is for humans reading logs: strings
// are quoted and escaped, but the result is never executed, so it favours readability over
// covering every driver encoding.
func (w *Writer) literal(v any) {
	if dv, ok := v.(driver.Valuer); ok {
		var err error
		if v, err = safeValue(dv); err != nil {
			w.Text("/* Value() error: ")
			w.Text(strings.ReplaceAll(err.Error(), "*/", "* /"))
			w.Text(" */ NULL")
			return
		}
	}
	switch x := v.(type) {
	case nil:
		w.Text("NULL")
	case bool:
		switch {
		case w.caps.BoolLiterals && x:
			w.Text("TRUE")
		case w.caps.BoolLiterals:
			w.Text("FALSE")
		case x:
			w.Char('1')
		default:
			w.Char('0')
		}
	case int:
		w.Int(int64(x))
	case int8:
		w.Int(int64(x))
	case int16:
		w.Int(int64(x))
	case int32:
		w.Int(int64(x))
	case int64:
		w.Int(x)
	case uint:
		w.buf = strconv.AppendUint(w.buf, uint64(x), 10)
	case uint8:
		w.Int(int64(x))
	case uint16:
		w.Int(int64(x))
	case uint32:
		w.Int(int64(x))
	case uint64:
		w.buf = strconv.AppendUint(w.buf, x, 10)
	case float32:
		w.float(float64(x), 32)
	case float64:
		w.float(x, 64)
	case string:
		w.stringLiteral(x)
	case json.RawMessage:
		w.stringLiteral(string(x))
	case []byte:
		if w.caps.BytesLiteral == dialect.BytesEscapedHex {
			w.Text(`'\x`)
		} else {
			w.Text("X'")
		}
		w.buf = hex.AppendEncode(w.buf, x)
		w.Char('\'')
	case time.Time:
		w.Char('\'')
		w.buf = x.AppendFormat(w.buf, "2006-01-02 15:04:05.999999999Z07:00")
		w.Char('\'')
	default:
		w.stringLiteral(fmt.Sprint(v))
	}
}

func (w *Writer) float(f float64, bits int) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		w.stringLiteral(strconv.FormatFloat(f, 'g', -1, bits))
		return
	}
	w.buf = strconv.AppendFloat(w.buf, f, 'g', -1, bits)
}

// stringLiteral writes 'text' with quotes doubled, and backslashes doubled where they escape
// inside string literals (dialect.Capabilities.BackslashEscapes: MySQL by default).
func (w *Writer) stringLiteral(s string) {
	backslashes := w.caps.BackslashEscapes
	w.Char('\'')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'':
			w.Text("''")
		case c == '\\' && backslashes:
			w.Text(`\\`)
		default:
			w.Char(c)
		}
	}
	w.Char('\'')
}

// safeValue calls a Valuer, which is user code, without letting it panic the renderer.
func safeValue(v driver.Valuer) (val driver.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return v.Value()
}
