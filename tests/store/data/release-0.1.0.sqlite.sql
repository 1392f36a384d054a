BEGIN TRANSACTION;
CREATE TABLE access_state (
	id INTEGER NOT NULL, 
	revision INTEGER NOT NULL, 
	CONSTRAINT pk_access_state PRIMARY KEY (id)
);
INSERT INTO "access_state" VALUES(1,4);
CREATE TABLE api_clients (
	id INTEGER NOT NULL, 
	client_id VARCHAR(64) NOT NULL, 
	brand_id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	enabled BOOLEAN NOT NULL, 
	token_epoch INTEGER NOT NULL, 
	secret_id VARCHAR(32) NOT NULL, 
	secret_hash BLOB NOT NULL, 
	pending_secret_id VARCHAR(32), 
	pending_secret_hash BLOB, 
	rotation_started_at DATETIME, 
	venue_ids JSON NOT NULL, 
	scopes JSON NOT NULL, 
	default_venue_id INTEGER, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	CONSTRAINT pk_api_clients PRIMARY KEY (id), 
	CONSTRAINT uq_api_clients_client_id UNIQUE (client_id), 
	CONSTRAINT fk_api_clients_brand_id_brands FOREIGN KEY(brand_id) REFERENCES brands (id)
);
INSERT INTO "api_clients" VALUES(1,'6553676e0d265ac837e8f79fc',1,'Sandbox client (documented test credentials)',1,0,'d18806459133',X'DD1B95E4C3F045FC5393C5E273A3DE370E1B345918316FC574528DE7212C4A44',NULL,NULL,NULL,'[1]','["venues:read", "users:read", "customers:read", "customers:write", "catalogue:read", "orders:read", "orders:write", "receipts:read", "receipts:write"]',1,'2026-11-27 20:33:43.969613','2026-11-27 20:33:43.969616');
CREATE TABLE audit_events (
	id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	event VARCHAR(32) NOT NULL, 
	outcome VARCHAR(16) NOT NULL, 
	status INTEGER NOT NULL, 
	reason VARCHAR(64), 
	client_id VARCHAR(64), 
	brand VARCHAR(64), 
	venue_id VARCHAR(32), 
	integrator_id VARCHAR(64), 
	ip VARCHAR(64), 
	method VARCHAR(8), 
	path VARCHAR(300), 
	CONSTRAINT pk_audit_events PRIMARY KEY (id)
);
INSERT INTO "audit_events" VALUES(1,'2026-11-27 20:33:45.078853','token_exchange','issued',200,NULL,'6553676e0d265ac837e8f79fc','openapitest','1','1','127.0.0.1','POST','/open-api/v2/auth');
INSERT INTO "audit_events" VALUES(2,'2026-11-27 20:33:45.302581','token_exchange','rejected',400,'authentication_failed','6553676e0d265ac837e8f79fc','openapitest',NULL,'1','127.0.0.1','POST','/open-api/v2/auth');
CREATE TABLE brands (
	id INTEGER NOT NULL, 
	slug VARCHAR(64) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	mode VARCHAR(16) NOT NULL, 
	enabled BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	CONSTRAINT pk_brands PRIMARY KEY (id), 
	CONSTRAINT uq_brands_slug UNIQUE (slug)
);
INSERT INTO "brands" VALUES(1,'openapitest','Open API test brand','test',1,'2026-11-27 20:33:43.958268','2026-11-27 20:33:43.958271');
CREATE TABLE categories (
	parent_id INTEGER, 
	name VARCHAR(200) NOT NULL, 
	slug VARCHAR(200) NOT NULL, 
	type VARCHAR(16) NOT NULL, 
	color VARCHAR(16), 
	status INTEGER NOT NULL, 
	position INTEGER, 
	hidden BOOLEAN NOT NULL, 
	media JSON NOT NULL, 
	properties JSON NOT NULL, 
	brand_id INTEGER NOT NULL, 
	id INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	deleted_at DATETIME, 
	CONSTRAINT pk_categories PRIMARY KEY (brand_id, id), 
	CONSTRAINT fk_categories_brand_id_parent_id_categories FOREIGN KEY(brand_id, parent_id) REFERENCES categories (brand_id, id) ON DELETE CASCADE, 
	CONSTRAINT fk_categories_brand_id_brands FOREIGN KEY(brand_id) REFERENCES brands (id)
);
INSERT INTO "categories" VALUES(NULL,'Drinks','drinks','PRODUCT','00bcd4',1,1,0,'[]','{}',1,1,'2026-11-27 20:33:44.157073','2026-11-27 20:33:44.157079',NULL);
INSERT INTO "categories" VALUES(1,'Hot drinks','hot-drinks','PRODUCT','795548',1,1,0,'[]','{}',1,2,'2026-11-27 20:33:44.157080','2026-11-27 20:33:44.166879',NULL);
INSERT INTO "categories" VALUES(2,'Coffee','coffee','PRODUCT','6d4c41',1,1,0,'[]','{}',1,3,'2026-11-27 20:33:44.157081','2026-11-27 20:33:44.169805',NULL);
INSERT INTO "categories" VALUES(2,'Tea','tea','PRODUCT','8bc34a',1,2,0,'[]','{}',1,4,'2026-11-27 20:33:44.157082','2026-11-27 20:33:44.170301',NULL);
INSERT INTO "categories" VALUES(1,'Cold drinks','cold-drinks','PRODUCT','03a9f4',1,2,0,'[]','{}',1,5,'2026-11-27 20:33:44.157083','2026-11-27 20:33:44.170687',NULL);
INSERT INTO "categories" VALUES(NULL,'Food','food','PRODUCT','ff9800',1,2,0,'[]','{}',1,6,'2026-11-27 20:33:44.157084','2026-11-27 20:33:44.157084',NULL);
INSERT INTO "categories" VALUES(6,'Breakfast','breakfast','PRODUCT','ffc107',1,1,0,'[]','{}',1,7,'2026-11-27 20:33:44.157084','2026-11-27 20:33:44.171030',NULL);
INSERT INTO "categories" VALUES(6,'Pastry','pastry','PRODUCT','e91e63',1,2,0,'[]','{}',1,8,'2026-11-27 20:33:44.157085','2026-11-27 20:33:44.173847',NULL);
INSERT INTO "categories" VALUES(6,'Sandwiches','sandwiches','PRODUCT','9c27b0',1,3,0,'[]','{}',1,9,'2026-11-27 20:33:44.157086','2026-11-27 20:33:44.177851',NULL);
INSERT INTO "categories" VALUES(NULL,'Games','games','PRODUCT','607d8b',1,3,0,'[]','{}',1,10,'2026-11-27 20:33:44.157087','2026-11-27 20:33:44.157087',NULL);
INSERT INTO "categories" VALUES(NULL,'Seasonal','seasonal','PRODUCT','f44336',0,4,0,'[]','{}',1,11,'2026-11-27 20:33:44.157087','2026-11-27 20:33:44.157088',NULL);
INSERT INTO "categories" VALUES(NULL,'Stock','stock','INGREDIENT',NULL,1,5,0,'[]','{}',1,12,'2026-11-27 20:33:44.157088','2026-11-27 20:33:44.157088',NULL);
INSERT INTO "categories" VALUES(12,'Dairy','dairy','INGREDIENT',NULL,1,1,0,'[]','{}',1,13,'2026-11-27 20:33:44.157089','2026-11-27 20:33:44.178893',NULL);
INSERT INTO "categories" VALUES(12,'Dry goods','dry-goods','INGREDIENT',NULL,1,2,0,'[]','{}',1,14,'2026-11-27 20:33:44.157090','2026-11-27 20:33:44.179427',NULL);
INSERT INTO "categories" VALUES(NULL,'Packaging costs','packaging-costs','ACCOUNTING',NULL,1,6,0,'[]','{}',1,15,'2026-11-27 20:33:44.157090','2026-11-27 20:33:44.157091',NULL);
CREATE TABLE customer_groups (
	name VARCHAR(200) NOT NULL, 
	discount_type VARCHAR(32), 
	discount_value DOUBLE NOT NULL, 
	system_type VARCHAR(64), 
	total_amount DOUBLE NOT NULL, 
	brand_id INTEGER NOT NULL, 
	id INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	deleted_at DATETIME, 
	CONSTRAINT pk_customer_groups PRIMARY KEY (brand_id, id), 
	CONSTRAINT fk_customer_groups_brand_id_brands FOREIGN KEY(brand_id) REFERENCES brands (id)
);
INSERT INTO "customer_groups" VALUES('My Customers',NULL,0.0,'my_customers',0.0,1,1,'2026-11-27 20:33:44.381587','2026-11-27 20:33:44.381591',NULL);
INSERT INTO "customer_groups" VALUES('VIP','percent',10.0,NULL,1250.5,1,2,'2026-11-27 20:33:44.381592','2026-11-27 20:33:44.381592',NULL);
INSERT INTO "customer_groups" VALUES('Staff','percent',50.0,NULL,0.0,1,3,'2026-11-27 20:33:44.381593','2026-11-27 20:33:44.381593',NULL);
CREATE TABLE customers (
	cid VARCHAR(36) NOT NULL, 
	venue_id INTEGER, 
	group_id INTEGER, 
	name VARCHAR(200) NOT NULL, 
	email VARCHAR(200), 
	phone VARCHAR(64), 
	phones JSON NOT NULL, 
	address VARCHAR(500), 
	address_data JSON NOT NULL, 
	description TEXT, 
	discount DOUBLE NOT NULL, 
	spent DOUBLE NOT NULL, 
	total_discount DOUBLE NOT NULL, 
	total_bonus DOUBLE NOT NULL, 
	receipt_count INTEGER NOT NULL, 
	gender INTEGER, 
	date_of_birth VARCHAR(10), 
	code VARCHAR(64), 
	source VARCHAR(64), 
	reference_id VARCHAR(64), 
	status BOOLEAN NOT NULL, 
	can_use_loyalty_system BOOLEAN NOT NULL, 
	is_verified BOOLEAN NOT NULL, 
	phone_verified_at DATETIME, 
	brand_id INTEGER NOT NULL, 
	id INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	deleted_at DATETIME, 
	CONSTRAINT pk_customers PRIMARY KEY (brand_id, id), 
	CONSTRAINT fk_customers_brand_id_group_id_customer_groups FOREIGN KEY(brand_id, group_id) REFERENCES customer_groups (brand_id, id) ON DELETE CASCADE, 
	CONSTRAINT uq_customers_brand_id_cid UNIQUE (brand_id, cid), 
	CONSTRAINT uq_customers_brand_id_phone UNIQUE (brand_id, phone), 
	CONSTRAINT uq_customers_brand_id_code UNIQUE (brand_id, code), 
	CONSTRAINT fk_customers_brand_id_brands FOREIGN KEY(brand_id) REFERENCES brands (id)
);
INSERT INTO "customers" VALUES('f5735733-1db3-4104-85c3-2983f1a9aa6a',NULL,2,'Rahid Akhundzada','rahid@example.test','+994705401040','["+994705401040"]','123 Main St','[]',NULL,10.0,412.3,0.0,0.0,37,1,'1990-04-12','VIP-001',NULL,NULL,1,1,1,NULL,1,1,'2026-11-27 20:33:44.396772','2026-11-27 20:33:44.396777',NULL);
INSERT INTO "customers" VALUES('e2fd8b15-6167-4ed5-a0e6-75569202311d',NULL,1,'Leyla Mammadova',NULL,'+994501112233','["+994501112233", "+994124445566"]',NULL,'[]',NULL,0.0,0.0,0.0,0.0,0,2,NULL,NULL,NULL,NULL,1,0,0,NULL,1,2,'2026-11-27 20:33:44.407319','2026-11-27 20:33:44.407325',NULL);
INSERT INTO "customers" VALUES('2b9faa31-7365-41a5-a4dd-029d7fc80adf',NULL,1,'John Smith','john@example.test',NULL,'[]',NULL,'[]',NULL,0.0,0.0,0.0,0.0,0,NULL,NULL,NULL,'LOYALTY','L-7781',1,0,0,NULL,1,3,'2026-11-27 20:33:44.408555','2026-11-27 20:33:44.408559',NULL);
INSERT INTO "customers" VALUES('7dbe372f-5fb4-4bda-996a-fa177dc0cdb9',NULL,3,'Ana Costa',NULL,'+351912345678','["+351912345678"]',NULL,'[]','Barista on weekends',0.0,0.0,0.0,0.0,0,NULL,NULL,'STAFF-07',NULL,NULL,1,0,0,NULL,1,4,'2026-11-27 20:33:44.421418','2026-11-27 20:33:44.421423',NULL);
INSERT INTO "customers" VALUES('3ccd6d6b-b8e0-4f87-b26f-549887e68140',NULL,NULL,'Walk-in guest',NULL,NULL,'[]',NULL,'[]',NULL,0.0,0.0,0.0,0.0,0,NULL,NULL,NULL,NULL,NULL,1,0,0,NULL,1,5,'2026-11-27 20:33:44.424736','2026-11-27 20:33:44.424740',NULL);
INSERT INTO "customers" VALUES('bd87dcbe-2349-4752-865a-0e1c8799fd3d',1,NULL,'Aysel Məmmədova','aysel@example.com','+994501110001','["+994501110001"]',NULL,'[]',NULL,0.0,0.0,0.0,0.0,0,NULL,NULL,NULL,NULL,NULL,1,0,0,NULL,1,6,'2026-11-27 20:33:45.148180','2026-11-27 20:33:45.148187',NULL);
INSERT INTO "customers" VALUES('569a8e6e-7860-4f1b-8ef7-d24e2d098e7d',1,NULL,'Leyla Hüseynova',NULL,'+994501110002','["+994501110002"]',NULL,'[]','Prefers oat milk',0.0,0.0,0.0,0.0,0,NULL,NULL,NULL,NULL,NULL,1,0,0,NULL,1,7,'2026-11-27 20:33:45.202504','2026-11-27 20:33:45.202511',NULL);
INSERT INTO "customers" VALUES('2e0247e8-0a23-4846-9cf4-83a72d97d9e9',1,NULL,'Murad Əliyev',NULL,'+994501110003','["+994501110003"]',NULL,'[]',NULL,0.0,0.0,0.0,0.0,0,NULL,NULL,'CARD-0003',NULL,NULL,1,0,0,NULL,1,8,'2026-11-27 20:33:45.254997','2026-11-27 20:33:45.255002',NULL);
CREATE TABLE id_sequences (
	brand_id INTEGER NOT NULL, 
	name VARCHAR(64) NOT NULL, 
	last_value INTEGER NOT NULL, 
	CONSTRAINT pk_id_sequences PRIMARY KEY (brand_id, name), 
	CONSTRAINT fk_id_sequences_brand_id_brands FOREIGN KEY(brand_id) REFERENCES brands (id)
);
INSERT INTO "id_sequences" VALUES(1,'venues',1);
INSERT INTO "id_sequences" VALUES(1,'units',5);
INSERT INTO "id_sequences" VALUES(1,'taxes',2);
INSERT INTO "id_sequences" VALUES(1,'tags',3);
INSERT INTO "id_sequences" VALUES(1,'stations',3);
INSERT INTO "id_sequences" VALUES(1,'modifier_groups',5);
INSERT INTO "id_sequences" VALUES(1,'payment_methods',4);
INSERT INTO "id_sequences" VALUES(1,'sale_types',4);
INSERT INTO "id_sequences" VALUES(1,'price_lists',2);
INSERT INTO "id_sequences" VALUES(1,'customer_groups',3);
INSERT INTO "id_sequences" VALUES(1,'customers',8);
INSERT INTO "id_sequences" VALUES(1,'users',4);
INSERT INTO "id_sequences" VALUES(1,'categories',15);
INSERT INTO "id_sequences" VALUES(1,'products',55);
INSERT INTO "id_sequences" VALUES(1,'modifiers',13);
INSERT INTO "id_sequences" VALUES(1,'packages',5);
INSERT INTO "id_sequences" VALUES(1,'product_codes',9);
INSERT INTO "id_sequences" VALUES(1,'price_list_prices',6);
CREATE TABLE idempotency_keys (
	client_id VARCHAR(64) NOT NULL, 
	"key" VARCHAR(255) NOT NULL, 
	fingerprint VARCHAR(64) NOT NULL, 
	status INTEGER, 
	body BLOB, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_idempotency_keys PRIMARY KEY (client_id, "key")
);
CREATE TABLE integrators (
	id VARCHAR(64) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	is_test BOOLEAN NOT NULL, 
	enabled BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	CONSTRAINT pk_integrators PRIMARY KEY (id)
);
INSERT INTO "integrators" VALUES('1','Sandbox integrator',1,1,'2026-11-27 20:33:43.966323','2026-11-27 20:33:43.966325');
CREATE TABLE modifier_groups (
	name VARCHAR(200) NOT NULL, 
	type INTEGER NOT NULL, 
	min_select INTEGER NOT NULL, 
	max_select INTEGER NOT NULL, 
	status INTEGER NOT NULL, 
	adjust_to_portion BOOLEAN NOT NULL, 
	meta JSON NOT NULL, 
	brand_id INTEGER NOT NULL, 
	id INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	deleted_at DATETIME, 
	CONSTRAINT pk_modifier_groups PRIMARY KEY (brand_id, id), 
	CONSTRAINT fk_modifier_groups_brand_id_brands FOREIGN KEY(brand_id) REFERENCES brands (id)
);
INSERT INTO "modifier_groups" VALUES('Milk choice',1,0,1,1,0,'{}',1,1,'2026-11-27 20:33:44.213970','2026-11-27 20:33:44.213977',NULL);
INSERT INTO "modifier_groups" VALUES('Syrups',0,0,3,1,0,'{}',1,2,'2026-11-27 20:33:44.213978','2026-11-27 20:33:44.213979',NULL);
INSERT INTO "modifier_groups" VALUES('Extra shot',0,0,2,1,0,'{}',1,3,'2026-11-27 20:33:44.213979','2026-11-27 20:33:44.213980',NULL);
INSERT INTO "modifier_groups" VALUES('Egg style',1,1,1,1,0,'{}',1,4,'2026-11-27 20:33:44.213981','2026-11-27 20:33:44.213981',NULL);
INSERT INTO "modifier_groups" VALUES('Bread',1,1,1,1,0,'{}',1,5,'2026-11-27 20:33:44.213982','2026-11-27 20:33:44.213982',NULL);
CREATE TABLE modifiers (
	group_id INTEGER NOT NULL, 
	ingredient_id INTEGER, 
	name VARCHAR(200) NOT NULL, 
	price DOUBLE NOT NULL, 
	cost_price DOUBLE NOT NULL, 
	brutto DOUBLE NOT NULL, 
	min_count INTEGER NOT NULL, 
	max_count INTEGER NOT NULL, 
	default_count INTEGER NOT NULL, 
	status INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	image JSON, 
	media JSON NOT NULL, 
	meta JSON NOT NULL, 
	brand_id INTEGER NOT NULL, 
	id INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	deleted_at DATETIME, 
	CONSTRAINT pk_modifiers PRIMARY KEY (brand_id, id), 
	CONSTRAINT fk_modifiers_brand_id_group_id_modifier_groups FOREIGN KEY(brand_id, group_id) REFERENCES modifier_groups (brand_id, id) ON DELETE CASCADE, 
	CONSTRAINT fk_modifiers_brand_id_ingredient_id_products FOREIGN KEY(brand_id, ingredient_id) REFERENCES products (brand_id, id) ON DELETE CASCADE, 
	CONSTRAINT fk_modifiers_brand_id_brands FOREIGN KEY(brand_id) REFERENCES brands (id)
);
INSERT INTO "modifiers" VALUES(1,2,'Whole milk',0.0,0.0,0.15,0,1,0,1,0,'null','[]','{}',1,1,'2026-11-27 20:33:44.221958','2026-11-27 20:33:44.221963',NULL);
INSERT INTO "modifiers" VALUES(1,3,'Oat milk',0.6,0.25,0.15,0,1,0,1,0,'null','[]','{}',1,2,'2026-11-27 20:33:44.221964','2026-11-27 20:33:44.221964',NULL);
INSERT INTO "modifiers" VALUES(1,4,'Lactose-free milk',0.4,0.0,0.15,0,1,0,1,0,'null','[]','{}',1,3,'2026-11-27 20:33:44.221965','2026-11-27 20:33:44.221965',NULL);
INSERT INTO "modifiers" VALUES(2,7,'Vanilla syrup',0.5,0.0,0.02,0,2,0,1,0,'null','[]','{}',1,4,'2026-11-27 20:33:44.221966','2026-11-27 20:33:44.221966',NULL);
INSERT INTO "modifiers" VALUES(2,8,'Caramel syrup',0.5,0.0,0.02,0,2,0,1,0,'null','[]','{}',1,5,'2026-11-27 20:33:44.221966','2026-11-27 20:33:44.221967',NULL);
INSERT INTO "modifiers" VALUES(2,NULL,'Hazelnut syrup',0.5,0.0,0.02,0,2,0,1,0,'null','[]','{}',1,6,'2026-11-27 20:33:44.221967','2026-11-27 20:33:44.221968',NULL);
INSERT INTO "modifiers" VALUES(3,1,'Extra espresso shot',0.8,0.0,0.009,0,1,0,1,0,'null','[]','{}',1,7,'2026-11-27 20:33:44.221968','2026-11-27 20:33:44.221969',NULL);
INSERT INTO "modifiers" VALUES(4,NULL,'Scrambled',0.0,0.0,0.0,0,1,1,1,0,'null','[]','{}',1,8,'2026-11-27 20:33:44.221969','2026-11-27 20:33:44.221970',NULL);
INSERT INTO "modifiers" VALUES(4,NULL,'Fried',0.0,0.0,0.0,0,1,0,1,0,'null','[]','{}',1,9,'2026-11-27 20:33:44.221970','2026-11-27 20:33:44.221971',NULL);
INSERT INTO "modifiers" VALUES(4,NULL,'Poached',0.5,0.0,0.0,0,1,0,1,0,'null','[]','{}',1,10,'2026-11-27 20:33:44.221972','2026-11-27 20:33:44.221972',NULL);
INSERT INTO "modifiers" VALUES(5,NULL,'Sourdough',0.0,0.0,0.0,0,1,1,1,0,'null','[]','{}',1,11,'2026-11-27 20:33:44.221973','2026-11-27 20:33:44.221973',NULL);
INSERT INTO "modifiers" VALUES(5,NULL,'Rye',0.0,0.0,0.0,0,1,0,1,0,'null','[]','{}',1,12,'2026-11-27 20:33:44.221974','2026-11-27 20:33:44.221974',NULL);
INSERT INTO "modifiers" VALUES(5,NULL,'Gluten-free bread',1.0,0.0,0.0,0,1,0,1,0,'null','[]','{}',1,13,'2026-11-27 20:33:44.221975','2026-11-27 20:33:44.221975',NULL);
CREATE TABLE packages (
	product_id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	equal DOUBLE NOT NULL, 
	brand_id INTEGER NOT NULL, 
	id INTEGER NOT NULL, 
	CONSTRAINT pk_packages PRIMARY KEY (brand_id, id), 
	CONSTRAINT fk_packages_brand_id_product_id_products FOREIGN KEY(brand_id, product_id) REFERENCES products (brand_id, id) ON DELETE CASCADE, 
	CONSTRAINT fk_packages_brand_id_brands FOREIGN KEY(brand_id) REFERENCES brands (id)
);
INSERT INTO "packages" VALUES(1,'1 kg bag',1.0,1,1);
INSERT INTO "packages" VALUES(1,'250 g bag',0.25,1,2);
INSERT INTO "packages" VALUES(2,'1 L carton',1.0,1,3);
INSERT INTO "packages" VALUES(3,'1 L carton',1.0,1,4);
INSERT INTO "packages" VALUES(9,'Tray of 30',30.0,1,5);
CREATE TABLE payment_methods (
	name VARCHAR(200) NOT NULL, 
	status JSON NOT NULL, 
	split INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	customer_required INTEGER NOT NULL, 
	is_system INTEGER NOT NULL, 
	balance JSON, 
	service JSON, 
	brand_id INTEGER NOT NULL, 
	id INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	deleted_at DATETIME, 
	CONSTRAINT pk_payment_methods PRIMARY KEY (brand_id, id), 
	CONSTRAINT fk_payment_methods_brand_id_brands FOREIGN KEY(brand_id) REFERENCES brands (id)
);
INSERT INTO "payment_methods" VALUES('Cash','{"1": 1, "2": 1}',1,0,0,0,'{"id": 1, "system_type": "CASH", "name": "Kassa", "type": "CASH"}','null',1,1,'2026-11-27 20:33:44.333782','2026-11-27 20:33:44.333789',NULL);
INSERT INTO "payment_methods" VALUES('Card','{"1": 1, "2": 1}',1,1,0,0,'{"id": 2, "system_type": "BANK", "name": "Bank", "type": "BANK"}','null',1,2,'2026-11-27 20:33:44.333790','2026-11-27 20:33:44.333790',NULL);
INSERT INTO "payment_methods" VALUES('Loyalty points','{"1": 1, "2": 0}',0,2,1,0,'null','{"name": "loyalty", "check": [], "payload": []}',1,3,'2026-11-27 20:33:44.333791','2026-11-27 20:33:44.333791',NULL);
INSERT INTO "payment_methods" VALUES('Wolt','{"1": 1, "2": 1}',0,3,0,1,'null','null',1,4,'2026-11-27 20:33:44.333792','2026-11-27 20:33:44.333792',NULL);
CREATE TABLE price_list_prices (
	list_id INTEGER NOT NULL, 
	product_id INTEGER NOT NULL, 
	price DOUBLE NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	brand_id INTEGER NOT NULL, 
	id INTEGER NOT NULL, 
	CONSTRAINT pk_price_list_prices PRIMARY KEY (brand_id, id), 
	CONSTRAINT fk_price_list_prices_brand_id_list_id_price_lists FOREIGN KEY(brand_id, list_id) REFERENCES price_lists (brand_id, id) ON DELETE CASCADE, 
	CONSTRAINT fk_price_list_prices_brand_id_product_id_products FOREIGN KEY(brand_id, product_id) REFERENCES products (brand_id, id) ON DELETE CASCADE, 
	CONSTRAINT uq_price_list_prices_brand_id_list_id_product_id UNIQUE (brand_id, list_id, product_id), 
	CONSTRAINT fk_price_list_prices_brand_id_brands FOREIGN KEY(brand_id) REFERENCES brands (id)
);
INSERT INTO "price_list_prices" VALUES(1,19,4.2,'2026-11-27 20:33:44.349810','2026-11-27 20:33:44.349815',1,1);
INSERT INTO "price_list_prices" VALUES(1,20,4.5,'2026-11-27 20:33:44.351238','2026-11-27 20:33:44.351240',1,2);
INSERT INTO "price_list_prices" VALUES(1,41,12.5,'2026-11-27 20:33:44.354604','2026-11-27 20:33:44.354608',1,3);
INSERT INTO "price_list_prices" VALUES(1,44,2.9,'2026-11-27 20:33:44.358088','2026-11-27 20:33:44.358092',1,4);
INSERT INTO "price_list_prices" VALUES(2,18,1.4,'2026-11-27 20:33:44.369868','2026-11-27 20:33:44.369876',1,5);
INSERT INTO "price_list_prices" VALUES(2,17,1.1,'2026-11-27 20:33:44.380418','2026-11-27 20:33:44.380424',1,6);
CREATE TABLE price_lists (
	name VARCHAR(200) NOT NULL, 
	description TEXT, 
	status BOOLEAN NOT NULL, 
	brand_id INTEGER NOT NULL, 
	id INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	deleted_at DATETIME, 
	CONSTRAINT pk_price_lists PRIMARY KEY (brand_id, id), 
	CONSTRAINT fk_price_lists_brand_id_brands FOREIGN KEY(brand_id) REFERENCES brands (id)
);
INSERT INTO "price_lists" VALUES('Delivery Prices','Prices for delivery partners (packaging included)',1,1,1,'2026-11-27 20:33:44.337796','2026-11-27 20:33:44.337801',NULL);
INSERT INTO "price_lists" VALUES('Staff Prices','Half price for staff',0,1,2,'2026-11-27 20:33:44.355635','2026-11-27 20:33:44.355638',NULL);
CREATE TABLE product_codes (
	product_id INTEGER NOT NULL, 
	code VARCHAR(64) NOT NULL, 
	brand_id INTEGER NOT NULL, 
	id INTEGER NOT NULL, 
	CONSTRAINT pk_product_codes PRIMARY KEY (brand_id, id), 
	CONSTRAINT fk_product_codes_brand_id_product_id_products FOREIGN KEY(brand_id, product_id) REFERENCES products (brand_id, id) ON DELETE CASCADE, 
	CONSTRAINT fk_product_codes_brand_id_brands FOREIGN KEY(brand_id) REFERENCES brands (id)
);
INSERT INTO "product_codes" VALUES(27,'5449000011527',1,1);
INSERT INTO "product_codes" VALUES(28,'5449000000439',1,2);
INSERT INTO "product_codes" VALUES(30,'5449000000996',1,3);
INSERT INTO "product_codes" VALUES(31,'5449000054227',1,4);
INSERT INTO "product_codes" VALUES(32,'5449000017888',1,5);
INSERT INTO "product_codes" VALUES(32,'5449000017895',1,6);
INSERT INTO "product_codes" VALUES(33,'4870200000012',1,7);
INSERT INTO "product_codes" VALUES(34,'4870200000029',1,8);
INSERT INTO "product_codes" VALUES(46,'2000000000015',1,9);
CREATE TABLE product_modifier_groups (
	brand_id INTEGER NOT NULL, 
	product_id INTEGER NOT NULL, 
	modifier_group_id INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	CONSTRAINT pk_product_modifier_groups PRIMARY KEY (brand_id, product_id, modifier_group_id), 
	CONSTRAINT fk_product_modifier_groups_brand_id_product_id_products FOREIGN KEY(brand_id, product_id) REFERENCES products (brand_id, id) ON DELETE CASCADE, 
	CONSTRAINT fk_product_modifier_groups_brand_id_modifier_group_id_modifier_groups FOREIGN KEY(brand_id, modifier_group_id) REFERENCES modifier_groups (brand_id, id) ON DELETE CASCADE, 
	CONSTRAINT fk_product_modifier_groups_brand_id_brands FOREIGN KEY(brand_id) REFERENCES brands (id)
);
INSERT INTO "product_modifier_groups" VALUES(1,17,3,0);
INSERT INTO "product_modifier_groups" VALUES(1,18,1,0);
INSERT INTO "product_modifier_groups" VALUES(1,18,2,1);
INSERT INTO "product_modifier_groups" VALUES(1,18,3,2);
INSERT INTO "product_modifier_groups" VALUES(1,19,1,0);
INSERT INTO "product_modifier_groups" VALUES(1,19,2,1);
INSERT INTO "product_modifier_groups" VALUES(1,19,3,2);
INSERT INTO "product_modifier_groups" VALUES(1,20,1,0);
INSERT INTO "product_modifier_groups" VALUES(1,20,2,1);
INSERT INTO "product_modifier_groups" VALUES(1,20,3,2);
INSERT INTO "product_modifier_groups" VALUES(1,21,1,0);
INSERT INTO "product_modifier_groups" VALUES(1,40,4,0);
INSERT INTO "product_modifier_groups" VALUES(1,40,5,1);
INSERT INTO "product_modifier_groups" VALUES(1,41,4,0);
INSERT INTO "product_modifier_groups" VALUES(1,41,5,1);
INSERT INTO "product_modifier_groups" VALUES(1,50,5,0);
INSERT INTO "product_modifier_groups" VALUES(1,51,5,0);
CREATE TABLE product_tags (
	brand_id INTEGER NOT NULL, 
	product_id INTEGER NOT NULL, 
	tag_id INTEGER NOT NULL, 
	CONSTRAINT pk_product_tags PRIMARY KEY (brand_id, product_id, tag_id), 
	CONSTRAINT fk_product_tags_brand_id_product_id_products FOREIGN KEY(brand_id, product_id) REFERENCES products (brand_id, id) ON DELETE CASCADE, 
	CONSTRAINT fk_product_tags_brand_id_tag_id_tags FOREIGN KEY(brand_id, tag_id) REFERENCES tags (brand_id, id) ON DELETE CASCADE, 
	CONSTRAINT fk_product_tags_brand_id_brands FOREIGN KEY(brand_id) REFERENCES brands (id)
);
INSERT INTO "product_tags" VALUES(1,3,1);
INSERT INTO "product_tags" VALUES(1,17,3);
INSERT INTO "product_tags" VALUES(1,19,3);
INSERT INTO "product_tags" VALUES(1,22,1);
INSERT INTO "product_tags" VALUES(1,22,2);
INSERT INTO "product_tags" VALUES(1,23,1);
INSERT INTO "product_tags" VALUES(1,24,1);
INSERT INTO "product_tags" VALUES(1,29,3);
INSERT INTO "product_tags" VALUES(1,33,1);
INSERT INTO "product_tags" VALUES(1,39,2);
INSERT INTO "product_tags" VALUES(1,41,3);
INSERT INTO "product_tags" VALUES(1,42,1);
INSERT INTO "product_tags" VALUES(1,47,2);
INSERT INTO "product_tags" VALUES(1,52,1);
INSERT INTO "product_tags" VALUES(1,52,2);
CREATE TABLE product_taxes (
	brand_id INTEGER NOT NULL, 
	product_id INTEGER NOT NULL, 
	tax_id INTEGER NOT NULL, 
	CONSTRAINT pk_product_taxes PRIMARY KEY (brand_id, product_id, tax_id), 
	CONSTRAINT fk_product_taxes_brand_id_product_id_products FOREIGN KEY(brand_id, product_id) REFERENCES products (brand_id, id) ON DELETE CASCADE, 
	CONSTRAINT fk_product_taxes_brand_id_tax_id_taxes FOREIGN KEY(brand_id, tax_id) REFERENCES taxes (brand_id, id) ON DELETE CASCADE, 
	CONSTRAINT fk_product_taxes_brand_id_brands FOREIGN KEY(brand_id) REFERENCES brands (id)
);
INSERT INTO "product_taxes" VALUES(1,17,1);
INSERT INTO "product_taxes" VALUES(1,18,1);
INSERT INTO "product_taxes" VALUES(1,19,1);
INSERT INTO "product_taxes" VALUES(1,20,1);
INSERT INTO "product_taxes" VALUES(1,21,1);
INSERT INTO "product_taxes" VALUES(1,22,1);
INSERT INTO "product_taxes" VALUES(1,23,1);
INSERT INTO "product_taxes" VALUES(1,24,1);
INSERT INTO "product_taxes" VALUES(1,25,1);
INSERT INTO "product_taxes" VALUES(1,26,1);
INSERT INTO "product_taxes" VALUES(1,29,1);
INSERT INTO "product_taxes" VALUES(1,33,1);
INSERT INTO "product_taxes" VALUES(1,34,1);
INSERT INTO "product_taxes" VALUES(1,35,1);
INSERT INTO "product_taxes" VALUES(1,38,1);
INSERT INTO "product_taxes" VALUES(1,39,1);
INSERT INTO "product_taxes" VALUES(1,40,1);
INSERT INTO "product_taxes" VALUES(1,40,2);
INSERT INTO "product_taxes" VALUES(1,41,1);
INSERT INTO "product_taxes" VALUES(1,41,2);
INSERT INTO "product_taxes" VALUES(1,42,1);
INSERT INTO "product_taxes" VALUES(1,43,1);
INSERT INTO "product_taxes" VALUES(1,44,1);
INSERT INTO "product_taxes" VALUES(1,45,1);
INSERT INTO "product_taxes" VALUES(1,46,1);
INSERT INTO "product_taxes" VALUES(1,47,1);
INSERT INTO "product_taxes" VALUES(1,48,1);
INSERT INTO "product_taxes" VALUES(1,49,1);
INSERT INTO "product_taxes" VALUES(1,50,1);
INSERT INTO "product_taxes" VALUES(1,51,1);
INSERT INTO "product_taxes" VALUES(1,52,1);
INSERT INTO "product_taxes" VALUES(1,53,1);
INSERT INTO "product_taxes" VALUES(1,54,1);
INSERT INTO "product_taxes" VALUES(1,55,1);
CREATE TABLE products (
	cid VARCHAR(36) NOT NULL, 
	parent_id INTEGER, 
	category_id INTEGER, 
	station_id INTEGER, 
	unit_id INTEGER, 
	type VARCHAR(16) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	position INTEGER NOT NULL, 
	barcode VARCHAR(64), 
	gov_code VARCHAR(64), 
	status INTEGER NOT NULL, 
	hidden INTEGER NOT NULL, 
	sold_by_weight BOOLEAN NOT NULL, 
	sold_by_portion BOOLEAN NOT NULL, 
	discountable BOOLEAN NOT NULL, 
	giftable BOOLEAN NOT NULL, 
	ignore_service_charge BOOLEAN NOT NULL, 
	description TEXT, 
	price DOUBLE NOT NULL, 
	cost_price DOUBLE NOT NULL, 
	cooking_time INTEGER, 
	inventory_behavior INTEGER NOT NULL, 
	low_stock DOUBLE, 
	unit_weight DOUBLE, 
	net_output DOUBLE, 
	max_age INTEGER, 
	markup_rate DOUBLE, 
	color VARCHAR(16), 
	image JSON, 
	media JSON NOT NULL, 
	meta JSON NOT NULL, 
	setting JSON, 
	venues JSON NOT NULL, 
	properties JSON NOT NULL, 
	brand_id INTEGER NOT NULL, 
	id INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	deleted_at DATETIME, 
	CONSTRAINT pk_products PRIMARY KEY (brand_id, id), 
	CONSTRAINT fk_products_brand_id_parent_id_products FOREIGN KEY(brand_id, parent_id) REFERENCES products (brand_id, id) ON DELETE CASCADE, 
	CONSTRAINT fk_products_brand_id_category_id_categories FOREIGN KEY(brand_id, category_id) REFERENCES categories (brand_id, id) ON DELETE CASCADE, 
	CONSTRAINT fk_products_brand_id_station_id_stations FOREIGN KEY(brand_id, station_id) REFERENCES stations (brand_id, id) ON DELETE CASCADE, 
	CONSTRAINT fk_products_brand_id_unit_id_units FOREIGN KEY(brand_id, unit_id) REFERENCES units (brand_id, id) ON DELETE CASCADE, 
	CONSTRAINT uq_products_brand_id_cid UNIQUE (brand_id, cid), 
	CONSTRAINT fk_products_brand_id_brands FOREIGN KEY(brand_id) REFERENCES brands (id)
);
INSERT INTO "products" VALUES('aeb6964b-d346-42c6-a9b3-58b7b9fb18ae',NULL,14,NULL,2,'INGREDIENT','Coffee beans',0,NULL,NULL,1,0,0,0,1,1,0,NULL,0.0,24.0,NULL,1,2.0,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,1,'2026-11-27 20:33:44.192958','2026-11-27 20:33:44.192965',NULL);
INSERT INTO "products" VALUES('74cf2838-6d19-4366-b539-7852ce16b129',NULL,13,NULL,4,'INGREDIENT','Whole milk',0,NULL,NULL,1,0,0,0,1,1,0,NULL,0.0,1.1,NULL,1,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,2,'2026-11-27 20:33:44.192966','2026-11-27 20:33:44.192966',NULL);
INSERT INTO "products" VALUES('febcd550-3e01-4c99-9e39-5410ec0023d9',NULL,13,NULL,4,'INGREDIENT','Oat milk',0,NULL,NULL,1,0,0,0,1,1,0,NULL,0.0,2.4,NULL,1,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,3,'2026-11-27 20:33:44.192967','2026-11-27 20:33:44.192967',NULL);
INSERT INTO "products" VALUES('f57f8fd3-68ae-4a60-91e4-6eb6d7b1d3ab',NULL,13,NULL,4,'INGREDIENT','Lactose-free milk',0,NULL,NULL,1,0,0,0,1,1,0,NULL,0.0,1.6,NULL,1,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,4,'2026-11-27 20:33:44.192967','2026-11-27 20:33:44.192968',NULL);
INSERT INTO "products" VALUES('d1dedbd7-e4d4-4d7c-93c1-1adde1f31a63',NULL,14,NULL,2,'INGREDIENT','Black tea leaves',0,NULL,NULL,1,0,0,0,1,1,0,NULL,0.0,30.0,NULL,1,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,5,'2026-11-27 20:33:44.192968','2026-11-27 20:33:44.192969',NULL);
INSERT INTO "products" VALUES('d69e968a-66e6-411c-a2c7-32caddda4441',NULL,14,NULL,2,'INGREDIENT','Green tea leaves',0,NULL,NULL,1,0,0,0,1,1,0,NULL,0.0,38.0,NULL,1,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,6,'2026-11-27 20:33:44.192969','2026-11-27 20:33:44.192969',NULL);
INSERT INTO "products" VALUES('b26ba2e1-4405-4a14-a8db-1d42cf337e6d',NULL,14,NULL,4,'INGREDIENT','Vanilla syrup',0,NULL,NULL,1,0,0,0,1,1,0,NULL,0.0,9.0,NULL,1,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,7,'2026-11-27 20:33:44.192970','2026-11-27 20:33:44.192970',NULL);
INSERT INTO "products" VALUES('fea34661-cdbe-4ba8-b539-5ecb833f3ed7',NULL,14,NULL,4,'INGREDIENT','Caramel syrup',0,NULL,NULL,1,0,0,0,1,1,0,NULL,0.0,9.0,NULL,1,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,8,'2026-11-27 20:33:44.192971','2026-11-27 20:33:44.192971',NULL);
INSERT INTO "products" VALUES('2df11f78-d698-4cb7-8260-b0dfaa1cc3dd',NULL,13,NULL,1,'INGREDIENT','Eggs',0,NULL,NULL,1,0,0,0,1,1,0,NULL,0.0,0.2,NULL,1,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,9,'2026-11-27 20:33:44.192971','2026-11-27 20:33:44.192972',NULL);
INSERT INTO "products" VALUES('c0ae342e-226a-4297-a2ba-b61f79f28baf',NULL,14,NULL,2,'INGREDIENT','Flour',0,NULL,NULL,1,0,0,0,1,1,0,NULL,0.0,0.9,NULL,1,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,10,'2026-11-27 20:33:44.192972','2026-11-27 20:33:44.192973',NULL);
INSERT INTO "products" VALUES('274fd664-bb43-4bdb-9cb6-3573857ecaff',NULL,13,NULL,2,'INGREDIENT','Butter',0,NULL,NULL,1,0,0,0,1,1,0,NULL,0.0,8.0,NULL,1,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,11,'2026-11-27 20:33:44.192973','2026-11-27 20:33:44.192973',NULL);
INSERT INTO "products" VALUES('8af99f4c-303a-4e39-9fc9-958eb7564f1f',NULL,14,NULL,1,'INGREDIENT','Sourdough loaf',0,NULL,NULL,1,0,0,0,1,1,0,NULL,0.0,2.5,NULL,1,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,12,'2026-11-27 20:33:44.192974','2026-11-27 20:33:44.192974',NULL);
INSERT INTO "products" VALUES('8e79d24e-897d-4bc7-b1df-2818bd226042',NULL,13,NULL,2,'INGREDIENT','Ham',0,NULL,NULL,1,0,0,0,1,1,0,NULL,0.0,14.0,NULL,1,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,13,'2026-11-27 20:33:44.192974','2026-11-27 20:33:44.192975',NULL);
INSERT INTO "products" VALUES('74a17bd8-d5af-4559-b1b8-4266568b642c',NULL,13,NULL,2,'INGREDIENT','Cheddar',0,NULL,NULL,1,0,0,0,1,1,0,NULL,0.0,12.0,NULL,1,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,14,'2026-11-27 20:33:44.192975','2026-11-27 20:33:44.192976',NULL);
INSERT INTO "products" VALUES('9cf55111-6d12-4cd7-883a-f58119a2bd7c',NULL,3,2,5,'PREPARATION','Espresso base',0,NULL,NULL,1,0,0,0,1,1,0,NULL,0.0,0.0,NULL,0,NULL,NULL,30.0,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,15,'2026-11-27 20:33:44.192976','2026-11-27 20:33:44.192977',NULL);
INSERT INTO "products" VALUES('689bda71-1c37-4c92-8b83-9d484c94cc61',NULL,8,1,2,'PREPARATION','Croissant dough',0,NULL,NULL,1,0,0,0,1,1,0,NULL,0.0,0.0,NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,16,'2026-11-27 20:33:44.192977','2026-11-27 20:33:44.192978',NULL);
INSERT INTO "products" VALUES('f2c522ba-1daf-49fa-b092-88d0d96516c8',NULL,3,2,1,'DISH','Espresso',0,NULL,NULL,1,0,0,0,1,1,0,NULL,2.2,0.45,2,0,NULL,NULL,NULL,NULL,NULL,NULL,'{"original": "https://media.example.test/espresso.jpg", "thumb": "https://media.example.test/espresso-thumb.jpg"}','[]','{}','null','[]','{}',1,17,'2026-11-27 20:33:44.192978','2026-11-27 20:33:44.192979',NULL);
INSERT INTO "products" VALUES('643b4246-cf31-4ed6-80cd-c4d21f384d4d',NULL,3,2,NULL,'DISH','Americano',0,NULL,NULL,1,0,0,0,1,1,0,NULL,2.8,0.5,3,0,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,18,'2026-11-27 20:33:44.192979','2026-11-27 20:33:44.192980',NULL);
INSERT INTO "products" VALUES('89ab71a3-b04d-4b02-be98-9a13ccd62f33',NULL,3,2,NULL,'DISH','Cappuccino',0,NULL,NULL,1,0,0,0,1,1,0,NULL,3.6,0.8,4,0,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,19,'2026-11-27 20:33:44.192980','2026-11-27 20:33:44.192981',NULL);
INSERT INTO "products" VALUES('15bef5e1-f162-4892-991d-2ec19c4c2e49',NULL,3,2,NULL,'DISH','Latte',0,NULL,NULL,1,0,0,0,1,1,0,NULL,3.9,0.9,4,0,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,20,'2026-11-27 20:33:44.192981','2026-11-27 20:33:44.192981',NULL);
INSERT INTO "products" VALUES('120aaba7-e828-4f0e-8bad-046f47bc28ea',NULL,3,2,NULL,'DISH','Flat white',0,NULL,NULL,1,0,0,0,1,1,0,NULL,3.8,0.95,NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,21,'2026-11-27 20:33:44.192982','2026-11-27 20:33:44.192982',NULL);
INSERT INTO "products" VALUES('953da91d-c4d2-4423-bcd4-ac95b26666d1',NULL,3,2,NULL,'DISH','Oat latte',0,NULL,NULL,1,0,0,1,1,1,0,NULL,4.4,1.2,NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,22,'2026-11-27 20:33:44.192983','2026-11-27 20:33:44.192983',NULL);
INSERT INTO "products" VALUES('c37f8b9d-c2c5-46b6-9bd7-ab361a2d4a61',NULL,4,2,NULL,'DISH','Black tea',0,NULL,NULL,1,0,0,0,1,1,0,NULL,2.0,0.15,NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,23,'2026-11-27 20:33:44.192983','2026-11-27 20:33:44.192983',NULL);
INSERT INTO "products" VALUES('d737d998-1205-43ed-a477-78f3eda287b7',NULL,4,2,NULL,'DISH','Green tea',0,NULL,NULL,1,0,0,0,1,1,0,NULL,2.2,0.2,NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,24,'2026-11-27 20:33:44.192984','2026-11-27 20:33:44.192984',NULL);
INSERT INTO "products" VALUES('104974e3-b94c-4e2a-aa60-f68a5c4f67db',NULL,4,2,NULL,'DISH','Tea pot',0,NULL,NULL,1,0,0,1,1,1,0,NULL,6.0,0.6,NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,25,'2026-11-27 20:33:44.192984','2026-11-27 20:33:44.192985',NULL);
INSERT INTO "products" VALUES('0badbf0e-ec8f-4d79-abfb-695577a5b600',NULL,5,3,1,'GOODS','Fanta',0,NULL,NULL,1,0,0,0,1,1,0,NULL,0.0,0.0,NULL,1,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,26,'2026-11-27 20:33:44.192985','2026-11-27 20:33:44.192988',NULL);
INSERT INTO "products" VALUES('5817a22d-7cf6-4266-8709-eb2bb99c96bb',NULL,5,3,NULL,'GOODS','Coca-Cola',0,NULL,NULL,1,0,0,0,1,1,0,NULL,0.0,0.0,NULL,1,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,29,'2026-11-27 20:33:44.192988','2026-11-27 20:33:44.192988',NULL);
INSERT INTO "products" VALUES('454e0649-c96b-4fe8-abed-2dcd9956a970',NULL,5,3,NULL,'GOODS','Still water 0.5 L',0,'4870200000012',NULL,1,0,0,0,1,1,0,NULL,1.2,0.3,NULL,1,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,33,'2026-11-27 20:33:44.192989','2026-11-27 20:33:44.192989',NULL);
INSERT INTO "products" VALUES('bb35d5c3-0e6b-40f9-ab59-3a328ccf9b54',NULL,5,3,NULL,'GOODS','Sparkling water 0.5 L',0,NULL,NULL,1,0,0,0,1,1,0,NULL,1.4,0.35,NULL,1,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,34,'2026-11-27 20:33:44.192989','2026-11-27 20:33:44.192990',NULL);
INSERT INTO "products" VALUES('7b3bcf61-3356-4552-aeb1-e9a8033b2269',NULL,5,3,NULL,'GOODS','Orange juice',0,NULL,NULL,1,0,0,0,1,1,0,NULL,0.0,0.0,NULL,1,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,35,'2026-11-27 20:33:44.192990','2026-11-27 20:33:44.192990',NULL);
INSERT INTO "products" VALUES('3c676975-5b6d-400a-96ae-0cfc7ae0ce45',NULL,5,3,NULL,'GOODS','Iced tea',0,NULL,NULL,1,0,0,0,1,0,0,NULL,2.6,0.7,NULL,1,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,38,'2026-11-27 20:33:44.192991','2026-11-27 20:33:44.192991',NULL);
INSERT INTO "products" VALUES('1877c3c2-ac2f-495a-b8d7-042b23657e04',NULL,5,3,NULL,'GOODS','Lemonade',0,NULL,NULL,1,0,0,0,0,1,0,NULL,3.0,0.6,NULL,3,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,39,'2026-11-27 20:33:44.192991','2026-11-27 20:33:44.192992',NULL);
INSERT INTO "products" VALUES('8d17a766-1649-47e3-88a7-e435dcc2d0cb',NULL,7,1,NULL,'DISH','Eggs your way',0,NULL,NULL,1,0,0,0,1,1,0,NULL,6.5,1.4,10,0,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,40,'2026-11-27 20:33:44.192992','2026-11-27 20:33:44.192992',NULL);
INSERT INTO "products" VALUES('3adfe2a9-40b7-47ee-892f-dd0340690079',NULL,7,1,NULL,'DISH','Full breakfast',0,NULL,NULL,1,0,0,0,1,1,0,NULL,11.0,3.2,15,0,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,41,'2026-11-27 20:33:44.192992','2026-11-27 20:33:44.192993',NULL);
INSERT INTO "products" VALUES('d6895f5a-cb36-4c60-b8c5-7163fb3b8b5a',NULL,7,1,NULL,'DISH','Porridge',0,NULL,NULL,1,0,0,0,1,1,0,NULL,4.5,0.8,6,0,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,42,'2026-11-27 20:33:44.192993','2026-11-27 20:33:44.192993',NULL);
INSERT INTO "products" VALUES('c541e0c6-612f-4c34-a2f3-b49addf78aeb',NULL,7,1,NULL,'DISH','Granola bowl',0,NULL,NULL,1,0,0,0,1,1,1,NULL,5.2,1.1,3,0,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,43,'2026-11-27 20:33:44.192994','2026-11-27 20:33:44.192994',NULL);
INSERT INTO "products" VALUES('8c49d9aa-5538-45f6-97ab-ab80c5510b09',NULL,8,1,NULL,'DISH','Croissant',0,NULL,NULL,1,0,0,0,1,1,0,NULL,2.4,0.6,NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,44,'2026-11-27 20:33:44.192994','2026-11-27 20:33:44.192995',NULL);
INSERT INTO "products" VALUES('8fe962fe-8e85-4d4f-b9fc-0d833d018e82',NULL,8,1,NULL,'DISH','Pain au chocolat',0,NULL,NULL,1,0,0,0,1,1,0,NULL,2.8,0.7,NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,45,'2026-11-27 20:33:44.192995','2026-11-27 20:33:44.192995',NULL);
INSERT INTO "products" VALUES('62fa814b-971f-47de-a700-00837d7216b1',NULL,8,3,NULL,'GOODS','Blueberry muffin',0,'2000000000015',NULL,1,0,0,0,1,1,0,NULL,2.9,0.9,NULL,1,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,46,'2026-11-27 20:33:44.192996','2026-11-27 20:33:44.192996',NULL);
INSERT INTO "products" VALUES('a547cb6d-f943-497f-8c9d-96086d93cdf1',NULL,8,3,NULL,'GOODS','Cinnamon roll',0,NULL,NULL,1,0,0,0,1,1,0,NULL,3.1,1.0,NULL,1,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,47,'2026-11-27 20:33:44.192996','2026-11-27 20:33:44.192997',NULL);
INSERT INTO "products" VALUES('bb238092-64ec-4026-a2ba-c679fd9864f8',NULL,8,3,2,'GOODS','Banana bread slice',0,NULL,NULL,1,0,1,0,1,1,0,NULL,2.7,0.8,NULL,1,NULL,0.1,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,48,'2026-11-27 20:33:44.192997','2026-11-27 20:33:44.192997',NULL);
INSERT INTO "products" VALUES('96e3eef8-f8bc-4f0f-8989-72417f82607a',NULL,8,3,NULL,'GOODS','Gift box of pastries',0,NULL,NULL,1,0,0,0,0,1,0,NULL,15.0,6.0,NULL,1,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,49,'2026-11-27 20:33:44.192998','2026-11-27 20:33:44.192998',NULL);
INSERT INTO "products" VALUES('4a0f9a95-125b-4b4f-9588-8f33399acae4',NULL,9,1,NULL,'DISH','Ham and cheese toastie',0,NULL,NULL,1,0,0,0,1,1,0,NULL,6.2,1.9,8,0,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,50,'2026-11-27 20:33:44.192998','2026-11-27 20:33:44.192998',NULL);
INSERT INTO "products" VALUES('e84adc0e-1b82-4119-9de6-37d16e35be00',NULL,9,1,NULL,'DISH','Cheddar melt',0,NULL,NULL,1,0,0,0,1,1,0,NULL,5.6,1.5,8,0,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,51,'2026-11-27 20:33:44.192999','2026-11-27 20:33:44.192999',NULL);
INSERT INTO "products" VALUES('460b465b-1022-49e6-9d19-c15e257c6504',NULL,9,1,NULL,'DISH','Vegan wrap',0,NULL,NULL,1,0,0,0,1,1,0,NULL,6.9,2.0,5,0,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,52,'2026-11-27 20:33:44.192999','2026-11-27 20:33:44.193000',NULL);
INSERT INTO "products" VALUES('8fcb18ad-a4b9-4f66-82fc-e3cd4617175e',NULL,11,1,NULL,'DISH','Seasonal pumpkin soup',0,NULL,NULL,0,0,0,0,1,1,0,NULL,5.5,1.3,NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','null','[]','{}',1,53,'2026-11-27 20:33:44.193000','2026-11-27 20:33:44.193000',NULL);
INSERT INTO "products" VALUES('7bbbff25-fdbe-4d2f-bed7-621ba11582b6',NULL,10,3,NULL,'TIMER','Board game table',0,NULL,NULL,1,0,0,0,1,1,0,NULL,4.0,0.0,NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','{"interval": 60, "prices": [{"price": 3.0, "from": 120}, {"price": 2.0, "from": 240}], "calculation_methods": 0}','[]','{}',1,54,'2026-11-27 20:33:44.193001','2026-11-27 20:33:44.193001',NULL);
INSERT INTO "products" VALUES('48ef42fc-850b-43f4-a91e-f1cc023a6ee7',NULL,10,3,NULL,'TIMER','Billiard table',0,NULL,NULL,1,0,0,0,1,1,0,NULL,8.0,0.0,NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}','{"interval": 30, "prices": [{"price": 6.0, "from": 60}], "calculation_methods": 1}','[]','{}',1,55,'2026-11-27 20:33:44.193001','2026-11-27 20:33:44.193002',NULL);
INSERT INTO "products" VALUES('3f1dbb65-70b6-497b-9abf-7b222f2b101f',26,5,3,1,'MODIFICATION','0.33 L',0,'5449000011527',NULL,1,0,0,0,1,1,0,NULL,1.8,0.6,NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}',NULL,'[]','{}',1,27,'2026-11-27 20:33:44.204059','2026-11-27 20:33:44.204065',NULL);
INSERT INTO "products" VALUES('69198e7f-a16e-409e-8040-c8750dac0003',26,5,3,1,'MODIFICATION','0.5 L',0,'5449000000439',NULL,1,0,0,0,1,1,0,NULL,2.4,0.8,NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}',NULL,'[]','{}',1,28,'2026-11-27 20:33:44.204066','2026-11-27 20:33:44.204066',NULL);
INSERT INTO "products" VALUES('d8126ba0-6b09-4752-865d-937c4fc8d264',29,5,3,NULL,'MODIFICATION','0.33 L',0,'5449000000996',NULL,1,0,0,0,1,1,0,NULL,1.8,0.6,NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}',NULL,'[]','{}',1,30,'2026-11-27 20:33:44.204068','2026-11-27 20:33:44.204068',NULL);
INSERT INTO "products" VALUES('2ac8351e-7acf-45fb-b375-e4c223c429a8',29,5,3,NULL,'MODIFICATION','0.5 L',0,'5449000054227',NULL,1,0,0,0,1,1,0,NULL,2.4,0.8,NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}',NULL,'[]','{}',1,31,'2026-11-27 20:33:44.204069','2026-11-27 20:33:44.204069',NULL);
INSERT INTO "products" VALUES('b516f2c0-aac5-4fb3-a42d-393d7ead8ecc',29,5,3,NULL,'MODIFICATION','1 L',0,NULL,NULL,1,0,0,0,1,1,0,NULL,3.5,1.1,NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}',NULL,'[]','{}',1,32,'2026-11-27 20:33:44.204070','2026-11-27 20:33:44.204071',NULL);
INSERT INTO "products" VALUES('5f237095-4b50-4aae-ba28-ad9b9dfacc03',35,5,3,NULL,'MODIFICATION','Small',0,NULL,NULL,1,0,0,0,1,1,0,NULL,2.5,0.9,NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}',NULL,'[]','{}',1,36,'2026-11-27 20:33:44.204072','2026-11-27 20:33:44.204072',NULL);
INSERT INTO "products" VALUES('79bcf8e2-9a8a-41b8-bdaa-be6b113604db',35,5,3,NULL,'MODIFICATION','Large',0,NULL,NULL,1,0,0,0,1,1,0,NULL,3.8,1.4,NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,'null','[]','{}',NULL,'[]','{}',1,37,'2026-11-27 20:33:44.204073','2026-11-27 20:33:44.204074',NULL);
CREATE TABLE recipe_items (
	brand_id INTEGER NOT NULL, 
	dish_id INTEGER NOT NULL, 
	ingredient_id INTEGER NOT NULL, 
	gross DOUBLE NOT NULL, 
	net DOUBLE NOT NULL, 
	net_put DOUBLE, 
	CONSTRAINT pk_recipe_items PRIMARY KEY (brand_id, dish_id, ingredient_id), 
	CONSTRAINT fk_recipe_items_brand_id_dish_id_products FOREIGN KEY(brand_id, dish_id) REFERENCES products (brand_id, id) ON DELETE CASCADE, 
	CONSTRAINT fk_recipe_items_brand_id_ingredient_id_products FOREIGN KEY(brand_id, ingredient_id) REFERENCES products (brand_id, id) ON DELETE CASCADE, 
	CONSTRAINT fk_recipe_items_brand_id_brands FOREIGN KEY(brand_id) REFERENCES brands (id)
);
INSERT INTO "recipe_items" VALUES(1,15,1,0.018,0.018,NULL);
INSERT INTO "recipe_items" VALUES(1,16,10,0.55,0.55,NULL);
INSERT INTO "recipe_items" VALUES(1,16,11,0.3,0.28,NULL);
INSERT INTO "recipe_items" VALUES(1,17,15,30.0,30.0,NULL);
INSERT INTO "recipe_items" VALUES(1,18,15,30.0,30.0,NULL);
INSERT INTO "recipe_items" VALUES(1,19,15,30.0,30.0,NULL);
INSERT INTO "recipe_items" VALUES(1,19,2,0.15,0.14,NULL);
INSERT INTO "recipe_items" VALUES(1,20,15,30.0,30.0,NULL);
INSERT INTO "recipe_items" VALUES(1,20,2,0.25,0.24,NULL);
INSERT INTO "recipe_items" VALUES(1,21,15,60.0,60.0,NULL);
INSERT INTO "recipe_items" VALUES(1,21,2,0.12,0.11,NULL);
INSERT INTO "recipe_items" VALUES(1,22,15,30.0,30.0,NULL);
INSERT INTO "recipe_items" VALUES(1,22,3,0.25,0.24,NULL);
INSERT INTO "recipe_items" VALUES(1,23,5,0.005,0.005,NULL);
INSERT INTO "recipe_items" VALUES(1,24,6,0.005,0.005,NULL);
INSERT INTO "recipe_items" VALUES(1,25,5,0.015,0.015,NULL);
INSERT INTO "recipe_items" VALUES(1,40,9,3.0,3.0,NULL);
INSERT INTO "recipe_items" VALUES(1,40,12,0.2,0.2,NULL);
INSERT INTO "recipe_items" VALUES(1,41,9,2.0,2.0,NULL);
INSERT INTO "recipe_items" VALUES(1,41,13,0.08,0.075,NULL);
INSERT INTO "recipe_items" VALUES(1,41,12,0.2,0.2,NULL);
INSERT INTO "recipe_items" VALUES(1,42,3,0.2,0.2,NULL);
INSERT INTO "recipe_items" VALUES(1,44,16,0.09,0.085,NULL);
INSERT INTO "recipe_items" VALUES(1,45,16,0.09,0.085,NULL);
INSERT INTO "recipe_items" VALUES(1,50,12,0.2,0.2,NULL);
INSERT INTO "recipe_items" VALUES(1,50,13,0.06,0.06,NULL);
INSERT INTO "recipe_items" VALUES(1,50,14,0.04,0.04,NULL);
INSERT INTO "recipe_items" VALUES(1,51,12,0.2,0.2,NULL);
INSERT INTO "recipe_items" VALUES(1,51,14,0.07,0.07,NULL);
CREATE TABLE sale_types (
	name VARCHAR(200) NOT NULL, 
	system_type VARCHAR(16) NOT NULL, 
	channel VARCHAR(32), 
	status JSON NOT NULL, 
	service_charge_rate DOUBLE, 
	position INTEGER NOT NULL, 
	media JSON NOT NULL, 
	payment_method_id INTEGER, 
	brand_id INTEGER NOT NULL, 
	id INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	deleted_at DATETIME, 
	CONSTRAINT pk_sale_types PRIMARY KEY (brand_id, id), 
	CONSTRAINT fk_sale_types_brand_id_payment_method_id_payment_methods FOREIGN KEY(brand_id, payment_method_id) REFERENCES payment_methods (brand_id, id) ON DELETE CASCADE, 
	CONSTRAINT fk_sale_types_brand_id_brands FOREIGN KEY(brand_id) REFERENCES brands (id)
);
INSERT INTO "sale_types" VALUES('Dine in','IN','IN','{"1": 1, "2": 1}',10.0,0,'[]',NULL,1,1,'2026-11-27 20:33:44.343081','2026-11-27 20:33:44.343086',NULL);
INSERT INTO "sale_types" VALUES('Takeaway','TAKEAWAY','TAKEAWAY','{"1": 1, "2": 1}',NULL,1,'[]',1,1,2,'2026-11-27 20:33:44.343086','2026-11-27 20:33:44.343087',NULL);
INSERT INTO "sale_types" VALUES('Delivery','DELIVERY','DELIVERY','{"1": 1, "2": 0}',NULL,2,'[]',2,1,3,'2026-11-27 20:33:44.343087','2026-11-27 20:33:44.343087',NULL);
INSERT INTO "sale_types" VALUES('Wolt delivery','DELIVERY','WOLT','{"1": 1, "2": 1}',NULL,3,'[]',4,1,4,'2026-11-27 20:33:44.343088','2026-11-27 20:33:44.343088',NULL);
CREATE TABLE signing_keys (
	kid VARCHAR(32) NOT NULL, 
	algorithm VARCHAR(16) NOT NULL, 
	secret BLOB NOT NULL, 
	created_at DATETIME NOT NULL, 
	retired_at DATETIME, 
	CONSTRAINT pk_signing_keys PRIMARY KEY (kid)
);
INSERT INTO "signing_keys" VALUES('191ed56c','HS256',X'96F1B5EA4146CC4AAF16D2DEFE2A7A23FCC8B5B199939BF69181B222DAD6FD74','2026-11-27 20:33:43.955337',NULL);
CREATE TABLE stations (
	name VARCHAR(200) NOT NULL, 
	status INTEGER NOT NULL, 
	type INTEGER NOT NULL, 
	printable INTEGER NOT NULL, 
	reminder_enabled BOOLEAN NOT NULL, 
	description VARCHAR(500), 
	brand_id INTEGER NOT NULL, 
	id INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	deleted_at DATETIME, 
	CONSTRAINT pk_stations PRIMARY KEY (brand_id, id), 
	CONSTRAINT fk_stations_brand_id_brands FOREIGN KEY(brand_id) REFERENCES brands (id)
);
INSERT INTO "stations" VALUES('Kitchen',1,1,1,0,NULL,1,1,'2026-11-27 20:33:44.162175','2026-11-27 20:33:44.162178',NULL);
INSERT INTO "stations" VALUES('Bar',1,0,1,1,NULL,1,2,'2026-11-27 20:33:44.162179','2026-11-27 20:33:44.162179',NULL);
INSERT INTO "stations" VALUES('Counter',1,0,0,0,'Pre-packed goods at the till',1,3,'2026-11-27 20:33:44.162180','2026-11-27 20:33:44.162180',NULL);
CREATE TABLE stop_list (
	brand_id INTEGER NOT NULL, 
	product_id INTEGER NOT NULL, 
	"limit" INTEGER NOT NULL, 
	updated_ms BIGINT NOT NULL, 
	CONSTRAINT pk_stop_list PRIMARY KEY (brand_id, product_id), 
	CONSTRAINT fk_stop_list_brand_id_product_id_products FOREIGN KEY(brand_id, product_id) REFERENCES products (brand_id, id) ON DELETE CASCADE, 
	CONSTRAINT fk_stop_list_brand_id_brands FOREIGN KEY(brand_id) REFERENCES brands (id)
);
CREATE TABLE tags (
	name VARCHAR(100) NOT NULL, 
	brand_id INTEGER NOT NULL, 
	id INTEGER NOT NULL, 
	CONSTRAINT pk_tags PRIMARY KEY (brand_id, id), 
	CONSTRAINT fk_tags_brand_id_brands FOREIGN KEY(brand_id) REFERENCES brands (id)
);
INSERT INTO "tags" VALUES('vegan',1,1);
INSERT INTO "tags" VALUES('new',1,2);
INSERT INTO "tags" VALUES('bestseller',1,3);
CREATE TABLE taxes (
	name VARCHAR(200) NOT NULL, 
	rate DOUBLE NOT NULL, 
	type_id INTEGER, 
	rounding_option VARCHAR(32) NOT NULL, 
	priority INTEGER NOT NULL, 
	calculation_type INTEGER NOT NULL, 
	is_default BOOLEAN NOT NULL, 
	status INTEGER NOT NULL, 
	meta JSON NOT NULL, 
	brand_id INTEGER NOT NULL, 
	id INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	deleted_at DATETIME, 
	CONSTRAINT pk_taxes PRIMARY KEY (brand_id, id), 
	CONSTRAINT fk_taxes_brand_id_brands FOREIGN KEY(brand_id) REFERENCES brands (id)
);
INSERT INTO "taxes" VALUES('VAT 18%',18.0,NULL,'ROUND_HALF_UP',0,0,1,1,'{}',1,1,'2026-11-27 20:33:44.163364','2026-11-27 20:33:44.163366',NULL);
INSERT INTO "taxes" VALUES('Service tax 5%',5.0,NULL,'ROUND_HALF_UP',1,0,0,1,'{}',1,2,'2026-11-27 20:33:44.163367','2026-11-27 20:33:44.163368',NULL);
CREATE TABLE units (
	parent_id INTEGER, 
	name VARCHAR(100) NOT NULL, 
	type VARCHAR(32) NOT NULL, 
	symbol VARCHAR(16) NOT NULL, 
	equal DOUBLE NOT NULL, 
	deleted_at DATETIME, 
	brand_id INTEGER NOT NULL, 
	id INTEGER NOT NULL, 
	CONSTRAINT pk_units PRIMARY KEY (brand_id, id), 
	CONSTRAINT fk_units_brand_id_parent_id_units FOREIGN KEY(brand_id, parent_id) REFERENCES units (brand_id, id) ON DELETE CASCADE, 
	CONSTRAINT fk_units_brand_id_brands FOREIGN KEY(brand_id) REFERENCES brands (id)
);
INSERT INTO "units" VALUES(NULL,'piece','PIECE','pcs',1.0,NULL,1,1);
INSERT INTO "units" VALUES(NULL,'kilogram','WEIGHT','kg',1.0,NULL,1,2);
INSERT INTO "units" VALUES(2,'gram','WEIGHT','g',0.001,NULL,1,3);
INSERT INTO "units" VALUES(NULL,'litre','VOLUME','l',1.0,NULL,1,4);
INSERT INTO "units" VALUES(4,'millilitre','VOLUME','ml',0.001,NULL,1,5);
CREATE TABLE users (
	email VARCHAR(200), 
	username VARCHAR(100) NOT NULL, 
	first_name VARCHAR(100), 
	last_name VARCHAR(100), 
	pin VARCHAR(16), 
	card VARCHAR(64), 
	mobile_number VARCHAR(64), 
	owner INTEGER NOT NULL, 
	hide INTEGER NOT NULL, 
	salary DOUBLE NOT NULL, 
	barcode VARCHAR(64), 
	tip_message VARCHAR(500), 
	can_receive_tips BOOLEAN NOT NULL, 
	login_at DATETIME, 
	status BOOLEAN NOT NULL, 
	properties JSON NOT NULL, 
	brand_id INTEGER NOT NULL, 
	id INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	deleted_at DATETIME, 
	CONSTRAINT pk_users PRIMARY KEY (brand_id, id), 
	CONSTRAINT fk_users_brand_id_brands FOREIGN KEY(brand_id) REFERENCES brands (id)
);
INSERT INTO "users" VALUES('owner@example.test','owner','Olivia','Owner','0000',NULL,NULL,1,0,0.0,NULL,NULL,0,NULL,1,'[]',1,1,'2026-11-27 20:33:44.425925','2026-11-27 20:33:44.425928',NULL);
INSERT INTO "users" VALUES(NULL,'barista1','Bruno','Barista','1234',NULL,'+994550000001',0,0,0.0,NULL,NULL,1,NULL,1,'[]',1,2,'2026-11-27 20:33:44.425929','2026-11-27 20:33:44.425929',NULL);
INSERT INTO "users" VALUES(NULL,'cashier1','Carla','Cashier','4321',NULL,NULL,0,0,0.0,NULL,NULL,0,NULL,1,'[]',1,3,'2026-11-27 20:33:44.425930','2026-11-27 20:33:44.425930',NULL);
INSERT INTO "users" VALUES(NULL,'former','Frank','Former',NULL,NULL,NULL,0,1,0.0,NULL,NULL,0,NULL,0,'[]',1,4,'2026-11-27 20:33:44.425931','2026-11-27 20:33:44.425931',NULL);
CREATE TABLE venues (
	brand_id INTEGER NOT NULL, 
	id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	is_main BOOLEAN NOT NULL, 
	address VARCHAR(500), 
	phone VARCHAR(64), 
	email VARCHAR(200), 
	status INTEGER NOT NULL, 
	media JSON NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	CONSTRAINT pk_venues PRIMARY KEY (brand_id, id), 
	CONSTRAINT fk_venues_brand_id_brands FOREIGN KEY(brand_id) REFERENCES brands (id)
);
INSERT INTO "venues" VALUES(1,1,'Main',1,NULL,NULL,NULL,1,'[]','2026-11-27 20:33:43.963562','2026-11-27 20:33:43.963565');
CREATE INDEX ix_audit_events_at ON audit_events (at);
CREATE INDEX ix_audit_events_client_at ON audit_events (client_id, at);
CREATE INDEX ix_idempotency_keys_created_at ON idempotency_keys (created_at);
CREATE INDEX ix_api_clients_brand_id ON api_clients (brand_id);
CREATE INDEX ix_customers_brand_name ON customers (brand_id, name);
CREATE INDEX ix_products_brand_parent ON products (brand_id, parent_id);
CREATE INDEX ix_products_brand_category ON products (brand_id, category_id);
COMMIT;
