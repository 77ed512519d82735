package schema

// creation is the order CREATE TABLE runs in: tables after the tables they reference, and
// for each table the foreign keys that must wait until a table of a cycle exists (added with
// ALTER TABLE afterwards).
type creation struct {
	order    []int         // indexes into the tables
	deferred map[int][]int // table index -> indexes of its ForeignKeys added after all tables
}

// createOrder sorts tables by their foreign keys, keeping the given order where the keys
// allow. When the remaining tables reference each other in a cycle, the first of them is
// created at once: with forward references allowed (SQLite) its keys stay in CREATE TABLE,
// otherwise those that point at tables not created yet are deferred.
func createOrder(tables []Table, forwardRefs bool) creation {
	index := make(map[string]int, len(tables))
	for i := range tables {
		index[tables[i].QualifiedName()] = i
	}
	refIndex := func(t *Table, fk *ForeignKey) (int, bool) {
		s := fk.RefSchema
		if s == "" {
			s = t.Schema
		}
		name := fk.RefTable
		if s != "" {
			name = s + "." + name
		}
		j, ok := index[name]
		return j, ok
	}
	c := creation{deferred: map[int][]int{}}
	done := make([]bool, len(tables))
	ready := func(i int) bool {
		for k := range tables[i].ForeignKeys {
			if j, ok := refIndex(&tables[i], &tables[i].ForeignKeys[k]); ok && j != i && !done[j] {
				return false
			}
		}
		return true
	}
	for len(c.order) < len(tables) {
		progressed := false
		for i := range tables {
			if !done[i] && ready(i) {
				done[i], progressed = true, true
				c.order = append(c.order, i)
			}
		}
		if progressed {
			continue
		}
		for i := range tables { // a cycle: break it at its first table
			if done[i] {
				continue
			}
			if !forwardRefs {
				for k := range tables[i].ForeignKeys {
					if j, ok := refIndex(&tables[i], &tables[i].ForeignKeys[k]); ok && j != i && !done[j] {
						c.deferred[i] = append(c.deferred[i], k)
					}
				}
			}
			done[i] = true
			c.order = append(c.order, i)
			break
		}
	}
	return c
}
