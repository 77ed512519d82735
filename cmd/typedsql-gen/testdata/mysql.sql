CREATE TABLE users (
	id BIGINT AUTO_INCREMENT PRIMARY KEY,
	email VARCHAR(200) NOT NULL,
	name VARCHAR(255) NOT NULL COMMENT 'Shown on invoices',
	avatar_url TEXT,
	visits INT NOT NULL DEFAULT 0,
	small SMALLINT,
	score DOUBLE,
	ratio FLOAT,
	active BOOLEAN NOT NULL DEFAULT TRUE,
	created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	birthday DATE,
	photo LONGBLOB,
	meta JSON,
	mood ENUM('happy', 'sad'),
	hits INT UNSIGNED NOT NULL DEFAULT 0,
	born YEAR,
	code CHAR(5),
	digest VARBINARY(32),
	seen_at TIMESTAMP NULL,
	level TINYINT NOT NULL DEFAULT 1,
	mid MEDIUMINT,
	big_count BIGINT UNSIGNED,
	bio TEXT,
	CONSTRAINT uq_users_email UNIQUE (email),
	INDEX ix_users_name (name)
) COMMENT 'People who order';
CREATE TABLE orders (
	id BIGINT AUTO_INCREMENT PRIMARY KEY,
	user_id BIGINT NOT NULL,
	status VARCHAR(20) NOT NULL DEFAULT 'new',
	total DECIMAL(12,2) NOT NULL,
	note TEXT,
	CONSTRAINT ck_orders_1 CHECK (total >= 0),
	CONSTRAINT uq_orders_user_note UNIQUE (user_id, note),
	CONSTRAINT fk_orders_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
	INDEX ix_orders_status_total (status, total)
);
CREATE TABLE order_tags (
	order_id BIGINT NOT NULL,
	tag VARCHAR(40) NOT NULL,
	PRIMARY KEY (order_id, tag),
	CONSTRAINT fk_order_tags_order_id FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE
);
CREATE TABLE tag_notes (
	id INTEGER NOT NULL PRIMARY KEY,
	order_id BIGINT NOT NULL,
	tag VARCHAR(40) NOT NULL,
	note TEXT NOT NULL,
	CONSTRAINT fk_tag_notes_order_tag FOREIGN KEY (order_id, tag) REFERENCES order_tags (order_id, tag)
);
CREATE VIEW active_users AS SELECT id, email, name FROM users WHERE active
