package bench

import (
	"strconv"
	"strings"
)

// The baseline: a hand-written strings.Builder renderer of typedsql's exact SQL, numbering
// placeholders from the arguments written so far, as a careful hand-written renderer does.
var handRender = renderer{name: "hand", q: [6]renderFunc{
	func(int) (string, []any, error) {
		h := newHand(64, 1)
		h.b.WriteString(`SELECT "id", "name", "email" FROM "users" WHERE "id" = `)
		h.arg(benchID)
		return h.b.String(), h.args, nil
	},
	func(int) (string, []any, error) {
		h := newHand(384, 4)
		h.b.WriteString(`SELECT "u"."id", "u"."name", COUNT("o"."id") FROM "users" AS "u" LEFT JOIN "orders" AS "o" ON "o"."user_id" = "u"."id" WHERE "u"."active" = `)
		h.arg(benchActive)
		h.b.WriteString(` AND "u"."created_at" > `)
		h.arg(benchTime)
		h.b.WriteString(` AND "u"."name" LIKE `)
		h.arg(benchPattern)
		h.b.WriteString(` GROUP BY "u"."id", "u"."name" HAVING COUNT("o"."id") > `)
		h.arg(benchMin)
		h.b.WriteString(` ORDER BY "u"."name" DESC LIMIT `)
		h.b.WriteString(strconv.Itoa(20))
		h.b.WriteString(` OFFSET `)
		h.b.WriteString(strconv.Itoa(40))
		return h.b.String(), h.args, nil
	},
	func(int) (string, []any, error) {
		h := newHand(96, 3)
		h.b.WriteString(`INSERT INTO "users" ("name", "email", "active") VALUES (`)
		h.arg(benchName)
		h.b.WriteString(", ")
		h.arg(benchEmail)
		h.b.WriteString(", ")
		h.arg(benchActive)
		h.b.WriteString(`) RETURNING "id"`)
		return h.b.String(), h.args, nil
	},
	func(int) (string, []any, error) {
		h := newHand(64, 3)
		h.b.WriteString(`UPDATE "users" SET "name" = `)
		h.arg(benchName)
		h.b.WriteString(`, "email" = `)
		h.arg(benchEmail)
		h.b.WriteString(` WHERE "id" = `)
		h.arg(benchID)
		return h.b.String(), h.args, nil
	},
	func(int) (string, []any, error) {
		h := newHand(48+6*len(benchIDs), len(benchIDs))
		h.b.WriteString(`SELECT "id" FROM "users" WHERE "id" IN (`)
		for i, id := range benchIDs {
			if i > 0 {
				h.b.WriteString(", ")
			}
			h.arg(id)
		}
		h.b.WriteByte(')')
		return h.b.String(), h.args, nil
	},
	func(n int) (string, []any, error) {
		h := newHand(160, 3)
		h.b.WriteString(`SELECT "id", "name", "email" FROM "users" WHERE "active" = `)
		h.arg(benchActive)
		h.b.WriteString(` AND "name" LIKE `)
		h.arg(benchPattern)
		h.b.WriteString(` AND "visits" >= `)
		h.arg(benchVisits)
		h.b.WriteString(` ORDER BY "created_at" DESC LIMIT `)
		h.b.WriteString(strconv.Itoa(n))
		return h.b.String(), h.args, nil
	},
}}

// hand is the hand-written renderer's state: a strings.Builder and the arguments.
type hand struct {
	b    strings.Builder
	args []any
}

func newHand(size, nargs int) *hand {
	h := &hand{args: make([]any, 0, nargs)}
	h.b.Grow(size)
	return h
}

func (h *hand) arg(v any) {
	h.args = append(h.args, v)
	h.b.WriteByte('$')
	h.b.WriteString(strconv.Itoa(len(h.args)))
}
