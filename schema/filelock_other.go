//go:build !unix

package schema

import "context"

// lockFile serializes the runners of this process on path; without flock(2), runners of
// other processes are held off only by SQLite's write lock, which a migration's transaction
// takes (see Migrator.Up).
func lockFile(ctx context.Context, path string) (unlock func(), err error) {
	return lockLocal(ctx, "file:"+path)
}
