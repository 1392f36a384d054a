--
-- PostgreSQL database dump
--

\restrict Ymerfj0fyJWbls0KozhU5ekfJQ0lUaJmVq5N5cazLPeEXjafxRnVHrF9grfP8sO

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: access_state; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.access_state (
    id bigint NOT NULL,
    revision bigint NOT NULL
);


--
-- Name: access_state_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.access_state_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: access_state_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.access_state_id_seq OWNED BY public.access_state.id;


--
-- Name: api_clients; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.api_clients (
    id bigint NOT NULL,
    client_id character varying(64) NOT NULL,
    brand_id bigint NOT NULL,
    name character varying(200) NOT NULL,
    enabled boolean NOT NULL,
    token_epoch bigint NOT NULL,
    secret_id character varying(32) NOT NULL,
    secret_hash bytea NOT NULL,
    pending_secret_id character varying(32),
    pending_secret_hash bytea,
    rotation_started_at timestamp without time zone,
    venue_ids json NOT NULL,
    scopes json NOT NULL,
    default_venue_id bigint,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL
);


--
-- Name: api_clients_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.api_clients_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: api_clients_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.api_clients_id_seq OWNED BY public.api_clients.id;


--
-- Name: audit_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_events (
    id bigint NOT NULL,
    at timestamp without time zone NOT NULL,
    event character varying(32) NOT NULL,
    outcome character varying(16) NOT NULL,
    status bigint NOT NULL,
    reason character varying(64),
    client_id character varying(64),
    brand character varying(64),
    venue_id character varying(32),
    integrator_id character varying(64),
    ip character varying(64),
    method character varying(8),
    path character varying(300)
);


--
-- Name: audit_events_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.audit_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: audit_events_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.audit_events_id_seq OWNED BY public.audit_events.id;


--
-- Name: brands; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.brands (
    id bigint NOT NULL,
    slug character varying(64) NOT NULL,
    name character varying(200) NOT NULL,
    mode character varying(16) NOT NULL,
    enabled boolean NOT NULL,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL
);


--
-- Name: brands_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.brands_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: brands_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.brands_id_seq OWNED BY public.brands.id;


--
-- Name: categories; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.categories (
    parent_id bigint,
    name character varying(200) NOT NULL,
    slug character varying(200) NOT NULL,
    type character varying(16) NOT NULL,
    color character varying(16),
    status bigint NOT NULL,
    "position" bigint,
    hidden boolean NOT NULL,
    media json NOT NULL,
    properties json NOT NULL,
    brand_id bigint NOT NULL,
    id bigint NOT NULL,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    deleted_at timestamp without time zone
);


--
-- Name: customer_groups; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.customer_groups (
    name character varying(200) NOT NULL,
    discount_type character varying(32),
    discount_value double precision NOT NULL,
    system_type character varying(64),
    total_amount double precision NOT NULL,
    brand_id bigint NOT NULL,
    id bigint NOT NULL,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    deleted_at timestamp without time zone
);


--
-- Name: customers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.customers (
    cid character varying(36) NOT NULL,
    venue_id bigint,
    group_id bigint,
    name character varying(200) NOT NULL,
    email character varying(200),
    phone character varying(64),
    phones json NOT NULL,
    address character varying(500),
    address_data json NOT NULL,
    description text,
    discount double precision NOT NULL,
    spent double precision NOT NULL,
    total_discount double precision NOT NULL,
    total_bonus double precision NOT NULL,
    receipt_count bigint NOT NULL,
    gender bigint,
    date_of_birth character varying(10),
    code character varying(64),
    source character varying(64),
    reference_id character varying(64),
    status boolean NOT NULL,
    can_use_loyalty_system boolean NOT NULL,
    is_verified boolean NOT NULL,
    phone_verified_at timestamp without time zone,
    brand_id bigint NOT NULL,
    id bigint NOT NULL,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    deleted_at timestamp without time zone
);


--
-- Name: id_sequences; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.id_sequences (
    brand_id bigint NOT NULL,
    name character varying(64) NOT NULL,
    last_value bigint NOT NULL
);


--
-- Name: idempotency_keys; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.idempotency_keys (
    client_id character varying(64) NOT NULL,
    key character varying(255) NOT NULL,
    fingerprint character varying(64) NOT NULL,
    status bigint,
    body bytea,
    created_at timestamp without time zone NOT NULL
);


--
-- Name: integrators; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.integrators (
    id character varying(64) NOT NULL,
    name character varying(200) NOT NULL,
    is_test boolean NOT NULL,
    enabled boolean NOT NULL,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL
);


--
-- Name: modifier_groups; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.modifier_groups (
    name character varying(200) NOT NULL,
    type bigint NOT NULL,
    min_select bigint NOT NULL,
    max_select bigint NOT NULL,
    status bigint NOT NULL,
    adjust_to_portion boolean NOT NULL,
    meta json NOT NULL,
    brand_id bigint NOT NULL,
    id bigint NOT NULL,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    deleted_at timestamp without time zone
);


--
-- Name: modifiers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.modifiers (
    group_id bigint NOT NULL,
    ingredient_id bigint,
    name character varying(200) NOT NULL,
    price double precision NOT NULL,
    cost_price double precision NOT NULL,
    brutto double precision NOT NULL,
    min_count bigint NOT NULL,
    max_count bigint NOT NULL,
    default_count bigint NOT NULL,
    status bigint NOT NULL,
    "position" bigint NOT NULL,
    image json,
    media json NOT NULL,
    meta json NOT NULL,
    brand_id bigint NOT NULL,
    id bigint NOT NULL,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    deleted_at timestamp without time zone
);


--
-- Name: packages; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.packages (
    product_id bigint NOT NULL,
    name character varying(200) NOT NULL,
    equal double precision NOT NULL,
    brand_id bigint NOT NULL,
    id bigint NOT NULL
);


--
-- Name: payment_methods; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.payment_methods (
    name character varying(200) NOT NULL,
    status json NOT NULL,
    split bigint NOT NULL,
    "position" bigint NOT NULL,
    customer_required bigint NOT NULL,
    is_system bigint NOT NULL,
    balance json,
    service json,
    brand_id bigint NOT NULL,
    id bigint NOT NULL,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    deleted_at timestamp without time zone
);


--
-- Name: price_list_prices; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.price_list_prices (
    list_id bigint NOT NULL,
    product_id bigint NOT NULL,
    price double precision NOT NULL,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    brand_id bigint NOT NULL,
    id bigint NOT NULL
);


--
-- Name: price_lists; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.price_lists (
    name character varying(200) NOT NULL,
    description text,
    status boolean NOT NULL,
    brand_id bigint NOT NULL,
    id bigint NOT NULL,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    deleted_at timestamp without time zone
);


--
-- Name: product_codes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.product_codes (
    product_id bigint NOT NULL,
    code character varying(64) NOT NULL,
    brand_id bigint NOT NULL,
    id bigint NOT NULL
);


--
-- Name: product_modifier_groups; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.product_modifier_groups (
    brand_id bigint NOT NULL,
    product_id bigint NOT NULL,
    modifier_group_id bigint NOT NULL,
    "position" bigint NOT NULL
);


--
-- Name: product_tags; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.product_tags (
    brand_id bigint NOT NULL,
    product_id bigint NOT NULL,
    tag_id bigint NOT NULL
);


--
-- Name: product_taxes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.product_taxes (
    brand_id bigint NOT NULL,
    product_id bigint NOT NULL,
    tax_id bigint NOT NULL
);


--
-- Name: products; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.products (
    cid character varying(36) NOT NULL,
    parent_id bigint,
    category_id bigint,
    station_id bigint,
    unit_id bigint,
    type character varying(16) NOT NULL,
    name character varying(200) NOT NULL,
    "position" bigint NOT NULL,
    barcode character varying(64),
    gov_code character varying(64),
    status bigint NOT NULL,
    hidden bigint NOT NULL,
    sold_by_weight boolean NOT NULL,
    sold_by_portion boolean NOT NULL,
    discountable boolean NOT NULL,
    giftable boolean NOT NULL,
    ignore_service_charge boolean NOT NULL,
    description text,
    price double precision NOT NULL,
    cost_price double precision NOT NULL,
    cooking_time bigint,
    inventory_behavior bigint NOT NULL,
    low_stock double precision,
    unit_weight double precision,
    net_output double precision,
    max_age bigint,
    markup_rate double precision,
    color character varying(16),
    image json,
    media json NOT NULL,
    meta json NOT NULL,
    setting json,
    venues json NOT NULL,
    properties json NOT NULL,
    brand_id bigint NOT NULL,
    id bigint NOT NULL,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    deleted_at timestamp without time zone
);


--
-- Name: recipe_items; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.recipe_items (
    brand_id bigint NOT NULL,
    dish_id bigint NOT NULL,
    ingredient_id bigint NOT NULL,
    gross double precision NOT NULL,
    net double precision NOT NULL,
    net_put double precision
);


--
-- Name: sale_types; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.sale_types (
    name character varying(200) NOT NULL,
    system_type character varying(16) NOT NULL,
    channel character varying(32),
    status json NOT NULL,
    service_charge_rate double precision,
    "position" bigint NOT NULL,
    media json NOT NULL,
    payment_method_id bigint,
    brand_id bigint NOT NULL,
    id bigint NOT NULL,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    deleted_at timestamp without time zone
);


--
-- Name: signing_keys; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.signing_keys (
    kid character varying(32) NOT NULL,
    algorithm character varying(16) NOT NULL,
    secret bytea NOT NULL,
    created_at timestamp without time zone NOT NULL,
    retired_at timestamp without time zone
);


--
-- Name: stations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.stations (
    name character varying(200) NOT NULL,
    status bigint NOT NULL,
    type bigint NOT NULL,
    printable bigint NOT NULL,
    reminder_enabled boolean NOT NULL,
    description character varying(500),
    brand_id bigint NOT NULL,
    id bigint NOT NULL,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    deleted_at timestamp without time zone
);


--
-- Name: stop_list; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.stop_list (
    brand_id bigint NOT NULL,
    product_id bigint NOT NULL,
    "limit" bigint NOT NULL,
    updated_ms bigint NOT NULL
);


--
-- Name: tags; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tags (
    name character varying(100) NOT NULL,
    brand_id bigint NOT NULL,
    id bigint NOT NULL
);


--
-- Name: taxes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.taxes (
    name character varying(200) NOT NULL,
    rate double precision NOT NULL,
    type_id bigint,
    rounding_option character varying(32) NOT NULL,
    priority bigint NOT NULL,
    calculation_type bigint NOT NULL,
    is_default boolean NOT NULL,
    status bigint NOT NULL,
    meta json NOT NULL,
    brand_id bigint NOT NULL,
    id bigint NOT NULL,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    deleted_at timestamp without time zone
);


--
-- Name: units; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.units (
    parent_id bigint,
    name character varying(100) NOT NULL,
    type character varying(32) NOT NULL,
    symbol character varying(16) NOT NULL,
    equal double precision NOT NULL,
    deleted_at timestamp without time zone,
    brand_id bigint NOT NULL,
    id bigint NOT NULL
);


--
-- Name: users; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.users (
    email character varying(200),
    username character varying(100) NOT NULL,
    first_name character varying(100),
    last_name character varying(100),
    pin character varying(16),
    card character varying(64),
    mobile_number character varying(64),
    owner bigint NOT NULL,
    hide bigint NOT NULL,
    salary double precision NOT NULL,
    barcode character varying(64),
    tip_message character varying(500),
    can_receive_tips boolean NOT NULL,
    login_at timestamp without time zone,
    status boolean NOT NULL,
    properties json NOT NULL,
    brand_id bigint NOT NULL,
    id bigint NOT NULL,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    deleted_at timestamp without time zone
);


--
-- Name: venues; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.venues (
    brand_id bigint NOT NULL,
    id bigint NOT NULL,
    name character varying(200) NOT NULL,
    is_main boolean NOT NULL,
    address character varying(500),
    phone character varying(64),
    email character varying(200),
    status bigint NOT NULL,
    media json NOT NULL,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL
);


--
-- Name: access_state id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.access_state ALTER COLUMN id SET DEFAULT nextval('public.access_state_id_seq'::regclass);


--
-- Name: api_clients id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_clients ALTER COLUMN id SET DEFAULT nextval('public.api_clients_id_seq'::regclass);


--
-- Name: audit_events id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_events ALTER COLUMN id SET DEFAULT nextval('public.audit_events_id_seq'::regclass);


--
-- Name: brands id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.brands ALTER COLUMN id SET DEFAULT nextval('public.brands_id_seq'::regclass);


--
-- Data for Name: access_state; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.access_state (id, revision) FROM stdin;
1	4
\.


--
-- Data for Name: api_clients; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.api_clients (id, client_id, brand_id, name, enabled, token_epoch, secret_id, secret_hash, pending_secret_id, pending_secret_hash, rotation_started_at, venue_ids, scopes, default_venue_id, created_at, updated_at) FROM stdin;
1	6553676e0d265ac837e8f79fc	1	Sandbox client (documented test credentials)	t	0	6a3e60218842	\\xdd1b95e4c3f045fc5393c5e273a3de370e1b345918316fc574528de7212c4a44	\N	\N	\N	[1]	["venues:read", "users:read", "customers:read", "customers:write", "catalogue:read", "orders:read", "orders:write", "receipts:read", "receipts:write"]	1	2026-11-27 20:33:48.289994	2026-11-27 20:33:48.289999
\.


--
-- Data for Name: audit_events; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.audit_events (id, at, event, outcome, status, reason, client_id, brand, venue_id, integrator_id, ip, method, path) FROM stdin;
1	2026-11-27 20:33:49.459052	token_exchange	issued	200	\N	6553676e0d265ac837e8f79fc	openapitest	1	1	127.0.0.1	POST	/open-api/v2/auth
2	2026-11-27 20:33:49.68641	token_exchange	rejected	400	authentication_failed	6553676e0d265ac837e8f79fc	openapitest	\N	1	127.0.0.1	POST	/open-api/v2/auth
\.


--
-- Data for Name: brands; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.brands (id, slug, name, mode, enabled, created_at, updated_at) FROM stdin;
1	openapitest	Open API test brand	test	t	2026-11-27 20:33:48.266779	2026-11-27 20:33:48.266786
\.


--
-- Data for Name: categories; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.categories (parent_id, name, slug, type, color, status, "position", hidden, media, properties, brand_id, id, created_at, updated_at, deleted_at) FROM stdin;
\N	Drinks	drinks	PRODUCT	00bcd4	1	1	f	[]	{}	1	1	2026-11-27 20:33:48.528988	2026-11-27 20:33:48.528994	\N
\N	Food	food	PRODUCT	ff9800	1	2	f	[]	{}	1	6	2026-11-27 20:33:48.528998	2026-11-27 20:33:48.528998	\N
\N	Games	games	PRODUCT	607d8b	1	3	f	[]	{}	1	10	2026-11-27 20:33:48.529001	2026-11-27 20:33:48.529001	\N
\N	Seasonal	seasonal	PRODUCT	f44336	0	4	f	[]	{}	1	11	2026-11-27 20:33:48.529001	2026-11-27 20:33:48.529002	\N
\N	Stock	stock	INGREDIENT	\N	1	5	f	[]	{}	1	12	2026-11-27 20:33:48.529002	2026-11-27 20:33:48.529002	\N
\N	Packaging costs	packaging-costs	ACCOUNTING	\N	1	6	f	[]	{}	1	15	2026-11-27 20:33:48.529004	2026-11-27 20:33:48.529004	\N
1	Hot drinks	hot-drinks	PRODUCT	795548	1	1	f	[]	{}	1	2	2026-11-27 20:33:48.528995	2026-11-27 20:33:48.543845	\N
2	Coffee	coffee	PRODUCT	6d4c41	1	1	f	[]	{}	1	3	2026-11-27 20:33:48.528996	2026-11-27 20:33:48.54484	\N
2	Tea	tea	PRODUCT	8bc34a	1	2	f	[]	{}	1	4	2026-11-27 20:33:48.528997	2026-11-27 20:33:48.545471	\N
1	Cold drinks	cold-drinks	PRODUCT	03a9f4	1	2	f	[]	{}	1	5	2026-11-27 20:33:48.528997	2026-11-27 20:33:48.55023	\N
6	Breakfast	breakfast	PRODUCT	ffc107	1	1	f	[]	{}	1	7	2026-11-27 20:33:48.528999	2026-11-27 20:33:48.550853	\N
6	Pastry	pastry	PRODUCT	e91e63	1	2	f	[]	{}	1	8	2026-11-27 20:33:48.528999	2026-11-27 20:33:48.551364	\N
6	Sandwiches	sandwiches	PRODUCT	9c27b0	1	3	f	[]	{}	1	9	2026-11-27 20:33:48.529	2026-11-27 20:33:48.551857	\N
12	Dairy	dairy	INGREDIENT	\N	1	1	f	[]	{}	1	13	2026-11-27 20:33:48.529003	2026-11-27 20:33:48.552249	\N
12	Dry goods	dry-goods	INGREDIENT	\N	1	2	f	[]	{}	1	14	2026-11-27 20:33:48.529003	2026-11-27 20:33:48.552593	\N
\.


--
-- Data for Name: customer_groups; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.customer_groups (name, discount_type, discount_value, system_type, total_amount, brand_id, id, created_at, updated_at, deleted_at) FROM stdin;
My Customers	\N	0	my_customers	0	1	1	2026-11-27 20:33:48.627806	2026-11-27 20:33:48.627808	\N
VIP	percent	10	\N	1250.5	1	2	2026-11-27 20:33:48.627808	2026-11-27 20:33:48.627809	\N
Staff	percent	50	\N	0	1	3	2026-11-27 20:33:48.627809	2026-11-27 20:33:48.627809	\N
\.


--
-- Data for Name: customers; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.customers (cid, venue_id, group_id, name, email, phone, phones, address, address_data, description, discount, spent, total_discount, total_bonus, receipt_count, gender, date_of_birth, code, source, reference_id, status, can_use_loyalty_system, is_verified, phone_verified_at, brand_id, id, created_at, updated_at, deleted_at) FROM stdin;
824bc151-7f5a-4077-b700-fd14bdf6784e	\N	2	Rahid Akhundzada	rahid@example.test	+994705401040	["+994705401040"]	123 Main St	[]	\N	10	412.3	0	0	37	1	1990-04-12	VIP-001	\N	\N	t	t	t	\N	1	1	2026-11-27 20:33:48.641622	2026-11-27 20:33:48.641627	\N
f5ec2b2e-c926-48c3-a994-0f3a16b92d4c	\N	1	Leyla Mammadova	\N	+994501112233	["+994501112233", "+994124445566"]	\N	[]	\N	0	0	0	0	0	2	\N	\N	\N	\N	t	f	f	\N	1	2	2026-11-27 20:33:48.64839	2026-11-27 20:33:48.648394	\N
8d91160e-84a1-486b-ac82-f1934a3e4198	\N	1	John Smith	john@example.test	\N	[]	\N	[]	\N	0	0	0	0	0	\N	\N	\N	LOYALTY	L-7781	t	f	f	\N	1	3	2026-11-27 20:33:48.649404	2026-11-27 20:33:48.649407	\N
41381583-f928-4858-a236-a6b768d24380	\N	3	Ana Costa	\N	+351912345678	["+351912345678"]	\N	[]	Barista on weekends	0	0	0	0	0	\N	\N	STAFF-07	\N	\N	t	f	f	\N	1	4	2026-11-27 20:33:48.653849	2026-11-27 20:33:48.653852	\N
efa8b3fe-e832-4822-95fa-eae6cbaa14f7	\N	\N	Walk-in guest	\N	\N	[]	\N	[]	\N	0	0	0	0	0	\N	\N	\N	\N	\N	t	f	f	\N	1	5	2026-11-27 20:33:48.656866	2026-11-27 20:33:48.656868	\N
2cfb911b-d697-4c37-92ba-a969e8bbd14b	1	\N	Aysel Məmmədova	aysel@example.com	+994501110001	["+994501110001"]	\N	[]	\N	0	0	0	0	0	\N	\N	\N	\N	\N	t	f	f	\N	1	6	2026-11-27 20:33:49.570187	2026-11-27 20:33:49.570194	\N
a44db745-b91d-4dcd-b8a7-ff0452d8780d	1	\N	Leyla Hüseynova	\N	+994501110002	["+994501110002"]	\N	[]	Prefers oat milk	0	0	0	0	0	\N	\N	\N	\N	\N	t	f	f	\N	1	7	2026-11-27 20:33:49.611429	2026-11-27 20:33:49.611436	\N
d168e8d1-e14b-4a5f-9780-bd0c8f95085f	1	\N	Murad Əliyev	\N	+994501110003	["+994501110003"]	\N	[]	\N	0	0	0	0	0	\N	\N	CARD-0003	\N	\N	t	f	f	\N	1	8	2026-11-27 20:33:49.650616	2026-11-27 20:33:49.650621	\N
\.


--
-- Data for Name: id_sequences; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.id_sequences (brand_id, name, last_value) FROM stdin;
1	venues	1
1	customers	8
1	units	5
1	taxes	2
1	tags	3
1	stations	3
1	modifier_groups	5
1	payment_methods	4
1	sale_types	4
1	price_lists	2
1	customer_groups	3
1	users	4
1	categories	15
1	products	55
1	modifiers	13
1	packages	5
1	product_codes	9
1	price_list_prices	6
\.


--
-- Data for Name: idempotency_keys; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.idempotency_keys (client_id, key, fingerprint, status, body, created_at) FROM stdin;
\.


--
-- Data for Name: integrators; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.integrators (id, name, is_test, enabled, created_at, updated_at) FROM stdin;
1	Sandbox integrator	t	t	2026-11-27 20:33:48.285111	2026-11-27 20:33:48.285116
\.


--
-- Data for Name: modifier_groups; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.modifier_groups (name, type, min_select, max_select, status, adjust_to_portion, meta, brand_id, id, created_at, updated_at, deleted_at) FROM stdin;
Milk choice	1	0	1	1	f	{}	1	1	2026-11-27 20:33:48.576112	2026-11-27 20:33:48.576116	\N
Syrups	0	0	3	1	f	{}	1	2	2026-11-27 20:33:48.576117	2026-11-27 20:33:48.576117	\N
Extra shot	0	0	2	1	f	{}	1	3	2026-11-27 20:33:48.576118	2026-11-27 20:33:48.576118	\N
Egg style	1	1	1	1	f	{}	1	4	2026-11-27 20:33:48.576119	2026-11-27 20:33:48.576119	\N
Bread	1	1	1	1	f	{}	1	5	2026-11-27 20:33:48.57612	2026-11-27 20:33:48.57612	\N
\.


--
-- Data for Name: modifiers; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.modifiers (group_id, ingredient_id, name, price, cost_price, brutto, min_count, max_count, default_count, status, "position", image, media, meta, brand_id, id, created_at, updated_at, deleted_at) FROM stdin;
1	2	Whole milk	0	0	0.15	0	1	0	1	0	null	[]	{}	1	1	2026-11-27 20:33:48.584247	2026-11-27 20:33:48.584252	\N
1	3	Oat milk	0.6	0.25	0.15	0	1	0	1	0	null	[]	{}	1	2	2026-11-27 20:33:48.584253	2026-11-27 20:33:48.584253	\N
1	4	Lactose-free milk	0.4	0	0.15	0	1	0	1	0	null	[]	{}	1	3	2026-11-27 20:33:48.584253	2026-11-27 20:33:48.584254	\N
2	7	Vanilla syrup	0.5	0	0.02	0	2	0	1	0	null	[]	{}	1	4	2026-11-27 20:33:48.584254	2026-11-27 20:33:48.584254	\N
2	8	Caramel syrup	0.5	0	0.02	0	2	0	1	0	null	[]	{}	1	5	2026-11-27 20:33:48.584255	2026-11-27 20:33:48.584255	\N
2	\N	Hazelnut syrup	0.5	0	0.02	0	2	0	1	0	null	[]	{}	1	6	2026-11-27 20:33:48.584256	2026-11-27 20:33:48.584256	\N
3	1	Extra espresso shot	0.8	0	0.009	0	1	0	1	0	null	[]	{}	1	7	2026-11-27 20:33:48.584256	2026-11-27 20:33:48.584257	\N
4	\N	Scrambled	0	0	0	0	1	1	1	0	null	[]	{}	1	8	2026-11-27 20:33:48.584257	2026-11-27 20:33:48.584258	\N
4	\N	Fried	0	0	0	0	1	0	1	0	null	[]	{}	1	9	2026-11-27 20:33:48.584258	2026-11-27 20:33:48.584258	\N
4	\N	Poached	0.5	0	0	0	1	0	1	0	null	[]	{}	1	10	2026-11-27 20:33:48.584259	2026-11-27 20:33:48.584259	\N
5	\N	Sourdough	0	0	0	0	1	1	1	0	null	[]	{}	1	11	2026-11-27 20:33:48.584259	2026-11-27 20:33:48.58426	\N
5	\N	Rye	0	0	0	0	1	0	1	0	null	[]	{}	1	12	2026-11-27 20:33:48.58426	2026-11-27 20:33:48.584261	\N
5	\N	Gluten-free bread	1	0	0	0	1	0	1	0	null	[]	{}	1	13	2026-11-27 20:33:48.584261	2026-11-27 20:33:48.584261	\N
\.


--
-- Data for Name: packages; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.packages (product_id, name, equal, brand_id, id) FROM stdin;
1	1 kg bag	1	1	1
1	250 g bag	0.25	1	2
2	1 L carton	1	1	3
3	1 L carton	1	1	4
9	Tray of 30	30	1	5
\.


--
-- Data for Name: payment_methods; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.payment_methods (name, status, split, "position", customer_required, is_system, balance, service, brand_id, id, created_at, updated_at, deleted_at) FROM stdin;
Cash	{"1": 1, "2": 1}	1	0	0	0	{"id": 1, "system_type": "CASH", "name": "Kassa", "type": "CASH"}	null	1	1	2026-11-27 20:33:48.615518	2026-11-27 20:33:48.615523	\N
Card	{"1": 1, "2": 1}	1	1	0	0	{"id": 2, "system_type": "BANK", "name": "Bank", "type": "BANK"}	null	1	2	2026-11-27 20:33:48.615524	2026-11-27 20:33:48.615524	\N
Loyalty points	{"1": 1, "2": 0}	0	2	1	0	null	{"name": "loyalty", "check": [], "payload": []}	1	3	2026-11-27 20:33:48.615525	2026-11-27 20:33:48.615525	\N
Wolt	{"1": 1, "2": 1}	0	3	0	1	null	null	1	4	2026-11-27 20:33:48.615525	2026-11-27 20:33:48.615526	\N
\.


--
-- Data for Name: price_list_prices; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.price_list_prices (list_id, product_id, price, created_at, updated_at, brand_id, id) FROM stdin;
1	19	4.2	2026-11-27 20:33:48.621332	2026-11-27 20:33:48.621335	1	1
1	20	4.5	2026-11-27 20:33:48.623037	2026-11-27 20:33:48.62304	1	2
1	41	12.5	2026-11-27 20:33:48.624018	2026-11-27 20:33:48.62402	1	3
1	44	2.9	2026-11-27 20:33:48.625132	2026-11-27 20:33:48.625134	1	4
2	18	1.4	2026-11-27 20:33:48.626194	2026-11-27 20:33:48.626196	1	5
2	17	1.1	2026-11-27 20:33:48.626913	2026-11-27 20:33:48.626914	1	6
\.


--
-- Data for Name: price_lists; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.price_lists (name, description, status, brand_id, id, created_at, updated_at, deleted_at) FROM stdin;
Delivery Prices	Prices for delivery partners (packaging included)	t	1	1	2026-11-27 20:33:48.617199	2026-11-27 20:33:48.617201	\N
Staff Prices	Half price for staff	f	1	2	2026-11-27 20:33:48.624887	2026-11-27 20:33:48.62489	\N
\.


--
-- Data for Name: product_codes; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.product_codes (product_id, code, brand_id, id) FROM stdin;
27	5449000011527	1	1
28	5449000000439	1	2
30	5449000000996	1	3
31	5449000054227	1	4
32	5449000017888	1	5
32	5449000017895	1	6
33	4870200000012	1	7
34	4870200000029	1	8
46	2000000000015	1	9
\.


--
-- Data for Name: product_modifier_groups; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.product_modifier_groups (brand_id, product_id, modifier_group_id, "position") FROM stdin;
1	17	3	0
1	18	1	0
1	18	2	1
1	18	3	2
1	19	1	0
1	19	2	1
1	19	3	2
1	20	1	0
1	20	2	1
1	20	3	2
1	21	1	0
1	40	4	0
1	40	5	1
1	41	4	0
1	41	5	1
1	50	5	0
1	51	5	0
\.


--
-- Data for Name: product_tags; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.product_tags (brand_id, product_id, tag_id) FROM stdin;
1	3	1
1	17	3
1	19	3
1	22	1
1	22	2
1	23	1
1	24	1
1	29	3
1	33	1
1	39	2
1	41	3
1	42	1
1	47	2
1	52	1
1	52	2
\.


--
-- Data for Name: product_taxes; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.product_taxes (brand_id, product_id, tax_id) FROM stdin;
1	17	1
1	18	1
1	19	1
1	20	1
1	21	1
1	22	1
1	23	1
1	24	1
1	25	1
1	26	1
1	29	1
1	33	1
1	34	1
1	35	1
1	38	1
1	39	1
1	40	1
1	40	2
1	41	1
1	41	2
1	42	1
1	43	1
1	44	1
1	45	1
1	46	1
1	47	1
1	48	1
1	49	1
1	50	1
1	51	1
1	52	1
1	53	1
1	54	1
1	55	1
\.


--
-- Data for Name: products; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.products (cid, parent_id, category_id, station_id, unit_id, type, name, "position", barcode, gov_code, status, hidden, sold_by_weight, sold_by_portion, discountable, giftable, ignore_service_charge, description, price, cost_price, cooking_time, inventory_behavior, low_stock, unit_weight, net_output, max_age, markup_rate, color, image, media, meta, setting, venues, properties, brand_id, id, created_at, updated_at, deleted_at) FROM stdin;
8654aa74-6697-41f4-9389-1bbe0ace99db	\N	14	\N	2	INGREDIENT	Coffee beans	0	\N	\N	1	0	f	f	t	t	f	\N	0	24	\N	1	2	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	1	2026-11-27 20:33:48.557267	2026-11-27 20:33:48.55727	\N
7047cc17-3e05-44d6-8328-d01fc6a318a1	\N	13	\N	4	INGREDIENT	Whole milk	0	\N	\N	1	0	f	f	t	t	f	\N	0	1.1	\N	1	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	2	2026-11-27 20:33:48.55727	2026-11-27 20:33:48.557271	\N
a75cf6d5-0f7f-4a71-b566-2d6b033fd086	\N	13	\N	4	INGREDIENT	Oat milk	0	\N	\N	1	0	f	f	t	t	f	\N	0	2.4	\N	1	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	3	2026-11-27 20:33:48.557271	2026-11-27 20:33:48.557272	\N
ed09832a-feb8-438e-93fe-71bcf7455a9f	\N	13	\N	4	INGREDIENT	Lactose-free milk	0	\N	\N	1	0	f	f	t	t	f	\N	0	1.6	\N	1	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	4	2026-11-27 20:33:48.557272	2026-11-27 20:33:48.557272	\N
79074677-8e2b-4e6e-89ca-c2f9b7464a92	\N	14	\N	2	INGREDIENT	Black tea leaves	0	\N	\N	1	0	f	f	t	t	f	\N	0	30	\N	1	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	5	2026-11-27 20:33:48.557273	2026-11-27 20:33:48.557273	\N
aea28c7a-c1bb-4135-826e-74d947583389	\N	14	\N	2	INGREDIENT	Green tea leaves	0	\N	\N	1	0	f	f	t	t	f	\N	0	38	\N	1	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	6	2026-11-27 20:33:48.557273	2026-11-27 20:33:48.557274	\N
ebd6212f-1850-4e66-8581-184fb7f66c4d	\N	14	\N	4	INGREDIENT	Vanilla syrup	0	\N	\N	1	0	f	f	t	t	f	\N	0	9	\N	1	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	7	2026-11-27 20:33:48.557274	2026-11-27 20:33:48.557274	\N
ff1cee60-7cd5-4a61-88d7-2f18f168ed31	\N	14	\N	4	INGREDIENT	Caramel syrup	0	\N	\N	1	0	f	f	t	t	f	\N	0	9	\N	1	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	8	2026-11-27 20:33:48.557275	2026-11-27 20:33:48.557275	\N
92e70c2f-ccc3-4d01-b746-d610cff7e026	\N	13	\N	1	INGREDIENT	Eggs	0	\N	\N	1	0	f	f	t	t	f	\N	0	0.2	\N	1	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	9	2026-11-27 20:33:48.557275	2026-11-27 20:33:48.557276	\N
898d3bec-46ec-420f-8b5e-03096e6dd383	\N	14	\N	2	INGREDIENT	Flour	0	\N	\N	1	0	f	f	t	t	f	\N	0	0.9	\N	1	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	10	2026-11-27 20:33:48.557276	2026-11-27 20:33:48.557276	\N
68cee3a0-c8ff-4a6d-988a-4ff900a9e4b5	\N	13	\N	2	INGREDIENT	Butter	0	\N	\N	1	0	f	f	t	t	f	\N	0	8	\N	1	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	11	2026-11-27 20:33:48.557277	2026-11-27 20:33:48.557277	\N
0aa729ab-525f-4f48-b02f-1c45b14c7be3	\N	14	\N	1	INGREDIENT	Sourdough loaf	0	\N	\N	1	0	f	f	t	t	f	\N	0	2.5	\N	1	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	12	2026-11-27 20:33:48.557277	2026-11-27 20:33:48.557278	\N
a647c7e9-478d-4869-9acc-7be02827271a	\N	13	\N	2	INGREDIENT	Ham	0	\N	\N	1	0	f	f	t	t	f	\N	0	14	\N	1	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	13	2026-11-27 20:33:48.557278	2026-11-27 20:33:48.557278	\N
c38d580c-f511-4039-a2f1-6f6ac544d896	\N	13	\N	2	INGREDIENT	Cheddar	0	\N	\N	1	0	f	f	t	t	f	\N	0	12	\N	1	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	14	2026-11-27 20:33:48.557279	2026-11-27 20:33:48.557279	\N
56022158-6273-4ab7-bf22-21e0381b7109	\N	3	2	5	PREPARATION	Espresso base	0	\N	\N	1	0	f	f	t	t	f	\N	0	0	\N	0	\N	\N	30	\N	\N	\N	null	[]	{}	null	[]	{}	1	15	2026-11-27 20:33:48.557279	2026-11-27 20:33:48.55728	\N
1c8b5d22-6108-48e5-bb92-1000b26309c8	\N	8	1	2	PREPARATION	Croissant dough	0	\N	\N	1	0	f	f	t	t	f	\N	0	0	\N	0	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	16	2026-11-27 20:33:48.55728	2026-11-27 20:33:48.557281	\N
558be1b9-50a4-4738-83de-02edd954d4ea	\N	3	2	1	DISH	Espresso	0	\N	\N	1	0	f	f	t	t	f	\N	2.2	0.45	2	0	\N	\N	\N	\N	\N	\N	{"original": "https://media.example.test/espresso.jpg", "thumb": "https://media.example.test/espresso-thumb.jpg"}	[]	{}	null	[]	{}	1	17	2026-11-27 20:33:48.557281	2026-11-27 20:33:48.557282	\N
d7c9ef4f-6f9d-4a97-8993-586828865adb	\N	3	2	\N	DISH	Americano	0	\N	\N	1	0	f	f	t	t	f	\N	2.8	0.5	3	0	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	18	2026-11-27 20:33:48.557282	2026-11-27 20:33:48.557282	\N
898dbb14-0e39-4e4d-8e6b-a7b9175efbee	\N	3	2	\N	DISH	Cappuccino	0	\N	\N	1	0	f	f	t	t	f	\N	3.6	0.8	4	0	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	19	2026-11-27 20:33:48.557283	2026-11-27 20:33:48.557283	\N
9b205780-c923-492d-8d1c-6fe1ba784ecd	\N	3	2	\N	DISH	Latte	0	\N	\N	1	0	f	f	t	t	f	\N	3.9	0.9	4	0	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	20	2026-11-27 20:33:48.557283	2026-11-27 20:33:48.557284	\N
c7fd7cd3-9ada-4a45-a79b-49b3f2627542	\N	3	2	\N	DISH	Flat white	0	\N	\N	1	0	f	f	t	t	f	\N	3.8	0.95	\N	0	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	21	2026-11-27 20:33:48.557284	2026-11-27 20:33:48.557284	\N
a26c5039-e515-4b45-99fb-7337be001cd1	\N	3	2	\N	DISH	Oat latte	0	\N	\N	1	0	f	t	t	t	f	\N	4.4	1.2	\N	0	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	22	2026-11-27 20:33:48.557285	2026-11-27 20:33:48.557285	\N
54fa4e74-3de2-46df-909d-aacb48b4bfbe	\N	4	2	\N	DISH	Black tea	0	\N	\N	1	0	f	f	t	t	f	\N	2	0.15	\N	0	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	23	2026-11-27 20:33:48.557285	2026-11-27 20:33:48.557285	\N
fd260f13-81b3-49d3-ba5e-b7ab6af832c5	\N	4	2	\N	DISH	Green tea	0	\N	\N	1	0	f	f	t	t	f	\N	2.2	0.2	\N	0	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	24	2026-11-27 20:33:48.557286	2026-11-27 20:33:48.557286	\N
2a3606c1-9e76-47d3-b988-82554bd3e044	\N	4	2	\N	DISH	Tea pot	0	\N	\N	1	0	f	t	t	t	f	\N	6	0.6	\N	0	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	25	2026-11-27 20:33:48.557286	2026-11-27 20:33:48.557287	\N
57a8dca2-6ead-4c6c-b2cd-abeb3a6f3a58	\N	5	3	1	GOODS	Fanta	0	\N	\N	1	0	f	f	t	t	f	\N	0	0	\N	1	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	26	2026-11-27 20:33:48.557287	2026-11-27 20:33:48.557287	\N
83c45328-0d11-4176-9e22-a81aa2eeb2ca	\N	5	3	\N	GOODS	Coca-Cola	0	\N	\N	1	0	f	f	t	t	f	\N	0	0	\N	1	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	29	2026-11-27 20:33:48.557288	2026-11-27 20:33:48.557288	\N
fdbc364c-1bad-47eb-b1ec-0a44b8ead7ef	\N	5	3	\N	GOODS	Still water 0.5 L	0	4870200000012	\N	1	0	f	f	t	t	f	\N	1.2	0.3	\N	1	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	33	2026-11-27 20:33:48.557288	2026-11-27 20:33:48.557288	\N
ea167bcf-9820-45e7-acc2-36067cf69dfe	\N	5	3	\N	GOODS	Sparkling water 0.5 L	0	\N	\N	1	0	f	f	t	t	f	\N	1.4	0.35	\N	1	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	34	2026-11-27 20:33:48.557289	2026-11-27 20:33:48.557289	\N
02aea401-c36b-4a35-983f-6980a9f0ed92	\N	5	3	\N	GOODS	Orange juice	0	\N	\N	1	0	f	f	t	t	f	\N	0	0	\N	1	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	35	2026-11-27 20:33:48.557289	2026-11-27 20:33:48.55729	\N
b9540c29-32b2-4bc6-b37e-16ccedcdc83b	\N	5	3	\N	GOODS	Iced tea	0	\N	\N	1	0	f	f	t	f	f	\N	2.6	0.7	\N	1	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	38	2026-11-27 20:33:48.55729	2026-11-27 20:33:48.55729	\N
3d99ef05-ee77-4a3d-8cfa-0bcc0e0a9b4d	\N	5	3	\N	GOODS	Lemonade	0	\N	\N	1	0	f	f	f	t	f	\N	3	0.6	\N	3	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	39	2026-11-27 20:33:48.557291	2026-11-27 20:33:48.557291	\N
f59b7a8b-79a9-4712-ba6a-eb709eee783c	\N	7	1	\N	DISH	Eggs your way	0	\N	\N	1	0	f	f	t	t	f	\N	6.5	1.4	10	0	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	40	2026-11-27 20:33:48.557291	2026-11-27 20:33:48.557292	\N
84776668-7c6e-46ee-91f8-d1b59fbc44db	\N	7	1	\N	DISH	Full breakfast	0	\N	\N	1	0	f	f	t	t	f	\N	11	3.2	15	0	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	41	2026-11-27 20:33:48.557292	2026-11-27 20:33:48.557292	\N
1e583a9c-708e-4143-9640-dffe2a9dd1f1	\N	7	1	\N	DISH	Porridge	0	\N	\N	1	0	f	f	t	t	f	\N	4.5	0.8	6	0	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	42	2026-11-27 20:33:48.557293	2026-11-27 20:33:48.557293	\N
0591e5af-7b3b-458e-8b32-9be6010c6d26	\N	7	1	\N	DISH	Granola bowl	0	\N	\N	1	0	f	f	t	t	t	\N	5.2	1.1	3	0	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	43	2026-11-27 20:33:48.557293	2026-11-27 20:33:48.557293	\N
401d4cb4-ddf2-4089-8835-f046f3daddc7	\N	8	1	\N	DISH	Croissant	0	\N	\N	1	0	f	f	t	t	f	\N	2.4	0.6	\N	0	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	44	2026-11-27 20:33:48.557294	2026-11-27 20:33:48.557294	\N
ad8ee0a2-f869-4a6d-b851-c0196f3a90a1	\N	8	1	\N	DISH	Pain au chocolat	0	\N	\N	1	0	f	f	t	t	f	\N	2.8	0.7	\N	0	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	45	2026-11-27 20:33:48.557294	2026-11-27 20:33:48.557295	\N
a9b6afa7-ad89-4d94-b233-a3e8d6a0e4ad	\N	8	3	\N	GOODS	Blueberry muffin	0	2000000000015	\N	1	0	f	f	t	t	f	\N	2.9	0.9	\N	1	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	46	2026-11-27 20:33:48.557295	2026-11-27 20:33:48.557295	\N
38c6776d-76b7-4721-953c-bb7bf116a01e	\N	8	3	\N	GOODS	Cinnamon roll	0	\N	\N	1	0	f	f	t	t	f	\N	3.1	1	\N	1	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	47	2026-11-27 20:33:48.557296	2026-11-27 20:33:48.557296	\N
d88c99d4-0d9f-461a-af97-12c050e61869	\N	8	3	2	GOODS	Banana bread slice	0	\N	\N	1	0	t	f	t	t	f	\N	2.7	0.8	\N	1	\N	0.1	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	48	2026-11-27 20:33:48.557296	2026-11-27 20:33:48.557296	\N
8e176789-84ca-448b-ab14-b9c6470d2cf6	\N	8	3	\N	GOODS	Gift box of pastries	0	\N	\N	1	0	f	f	f	t	f	\N	15	6	\N	1	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	49	2026-11-27 20:33:48.557297	2026-11-27 20:33:48.557297	\N
eb31bbfd-4074-49b9-9edf-8ad0c753d7f3	\N	9	1	\N	DISH	Ham and cheese toastie	0	\N	\N	1	0	f	f	t	t	f	\N	6.2	1.9	8	0	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	50	2026-11-27 20:33:48.557297	2026-11-27 20:33:48.557298	\N
a5382336-b20e-47e8-9c95-7cde455b4118	\N	9	1	\N	DISH	Cheddar melt	0	\N	\N	1	0	f	f	t	t	f	\N	5.6	1.5	8	0	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	51	2026-11-27 20:33:48.557298	2026-11-27 20:33:48.557298	\N
964b418e-fa0a-4626-a4c2-e8ba206cc745	\N	9	1	\N	DISH	Vegan wrap	0	\N	\N	1	0	f	f	t	t	f	\N	6.9	2	5	0	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	52	2026-11-27 20:33:48.557299	2026-11-27 20:33:48.557299	\N
b92a7aac-9e82-4d30-a57f-2c8d1c7d2178	\N	11	1	\N	DISH	Seasonal pumpkin soup	0	\N	\N	0	0	f	f	t	t	f	\N	5.5	1.3	\N	0	\N	\N	\N	\N	\N	\N	null	[]	{}	null	[]	{}	1	53	2026-11-27 20:33:48.557299	2026-11-27 20:33:48.5573	\N
4f428384-73ad-4afd-b776-bb5864a51421	\N	10	3	\N	TIMER	Board game table	0	\N	\N	1	0	f	f	t	t	f	\N	4	0	\N	0	\N	\N	\N	\N	\N	\N	null	[]	{}	{"interval": 60, "prices": [{"price": 3.0, "from": 120}, {"price": 2.0, "from": 240}], "calculation_methods": 0}	[]	{}	1	54	2026-11-27 20:33:48.5573	2026-11-27 20:33:48.5573	\N
836d0c34-cc7f-49d4-a91c-eac25554a782	\N	10	3	\N	TIMER	Billiard table	0	\N	\N	1	0	f	f	t	t	f	\N	8	0	\N	0	\N	\N	\N	\N	\N	\N	null	[]	{}	{"interval": 30, "prices": [{"price": 6.0, "from": 60}], "calculation_methods": 1}	[]	{}	1	55	2026-11-27 20:33:48.5573	2026-11-27 20:33:48.557301	\N
f01735f2-0f5c-40e2-8896-e6fd777c3dfe	26	5	3	1	MODIFICATION	0.33 L	0	5449000011527	\N	1	0	f	f	t	t	f	\N	1.8	0.6	\N	0	\N	\N	\N	\N	\N	\N	null	[]	{}	\N	[]	{}	1	27	2026-11-27 20:33:48.570837	2026-11-27 20:33:48.570842	\N
07306610-61fe-4d1a-af2a-0773e4725453	26	5	3	1	MODIFICATION	0.5 L	0	5449000000439	\N	1	0	f	f	t	t	f	\N	2.4	0.8	\N	0	\N	\N	\N	\N	\N	\N	null	[]	{}	\N	[]	{}	1	28	2026-11-27 20:33:48.570843	2026-11-27 20:33:48.570843	\N
28ed9b08-585d-4f3b-8cad-2c1767883a87	29	5	3	\N	MODIFICATION	0.33 L	0	5449000000996	\N	1	0	f	f	t	t	f	\N	1.8	0.6	\N	0	\N	\N	\N	\N	\N	\N	null	[]	{}	\N	[]	{}	1	30	2026-11-27 20:33:48.570845	2026-11-27 20:33:48.570845	\N
23bc3168-e8bf-4dd5-8c56-610332139fb5	29	5	3	\N	MODIFICATION	0.5 L	0	5449000054227	\N	1	0	f	f	t	t	f	\N	2.4	0.8	\N	0	\N	\N	\N	\N	\N	\N	null	[]	{}	\N	[]	{}	1	31	2026-11-27 20:33:48.570846	2026-11-27 20:33:48.570846	\N
7a111c8f-342d-4399-bc05-e9d531964632	29	5	3	\N	MODIFICATION	1 L	0	\N	\N	1	0	f	f	t	t	f	\N	3.5	1.1	\N	0	\N	\N	\N	\N	\N	\N	null	[]	{}	\N	[]	{}	1	32	2026-11-27 20:33:48.570848	2026-11-27 20:33:48.570848	\N
48e4551d-2113-4161-bcfa-4b7ed28820c4	35	5	3	\N	MODIFICATION	Small	0	\N	\N	1	0	f	f	t	t	f	\N	2.5	0.9	\N	0	\N	\N	\N	\N	\N	\N	null	[]	{}	\N	[]	{}	1	36	2026-11-27 20:33:48.570849	2026-11-27 20:33:48.570849	\N
d152010e-f180-4e61-a963-3ba30ca88fae	35	5	3	\N	MODIFICATION	Large	0	\N	\N	1	0	f	f	t	t	f	\N	3.8	1.4	\N	0	\N	\N	\N	\N	\N	\N	null	[]	{}	\N	[]	{}	1	37	2026-11-27 20:33:48.57085	2026-11-27 20:33:48.570851	\N
\.


--
-- Data for Name: recipe_items; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.recipe_items (brand_id, dish_id, ingredient_id, gross, net, net_put) FROM stdin;
1	15	1	0.018	0.018	\N
1	16	10	0.55	0.55	\N
1	16	11	0.3	0.28	\N
1	17	15	30	30	\N
1	18	15	30	30	\N
1	19	15	30	30	\N
1	19	2	0.15	0.14	\N
1	20	15	30	30	\N
1	20	2	0.25	0.24	\N
1	21	15	60	60	\N
1	21	2	0.12	0.11	\N
1	22	15	30	30	\N
1	22	3	0.25	0.24	\N
1	23	5	0.005	0.005	\N
1	24	6	0.005	0.005	\N
1	25	5	0.015	0.015	\N
1	40	9	3	3	\N
1	40	12	0.2	0.2	\N
1	41	9	2	2	\N
1	41	13	0.08	0.075	\N
1	41	12	0.2	0.2	\N
1	42	3	0.2	0.2	\N
1	44	16	0.09	0.085	\N
1	45	16	0.09	0.085	\N
1	50	12	0.2	0.2	\N
1	50	13	0.06	0.06	\N
1	50	14	0.04	0.04	\N
1	51	12	0.2	0.2	\N
1	51	14	0.07	0.07	\N
\.


--
-- Data for Name: sale_types; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.sale_types (name, system_type, channel, status, service_charge_rate, "position", media, payment_method_id, brand_id, id, created_at, updated_at, deleted_at) FROM stdin;
Dine in	IN	IN	{"1": 1, "2": 1}	10	0	[]	\N	1	1	2026-11-27 20:33:48.618484	2026-11-27 20:33:48.618486	\N
Takeaway	TAKEAWAY	TAKEAWAY	{"1": 1, "2": 1}	\N	1	[]	1	1	2	2026-11-27 20:33:48.618487	2026-11-27 20:33:48.618487	\N
Delivery	DELIVERY	DELIVERY	{"1": 1, "2": 0}	\N	2	[]	2	1	3	2026-11-27 20:33:48.618488	2026-11-27 20:33:48.618488	\N
Wolt delivery	DELIVERY	WOLT	{"1": 1, "2": 1}	\N	3	[]	4	1	4	2026-11-27 20:33:48.618488	2026-11-27 20:33:48.618489	\N
\.


--
-- Data for Name: signing_keys; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.signing_keys (kid, algorithm, secret, created_at, retired_at) FROM stdin;
152b42c0	HS256	\\x347296b4146b63debbffe7585ea94c723f5b850d0fc9a07f7b6cf1844ec92874	2026-11-27 20:33:48.257158	\N
\.


--
-- Data for Name: stations; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.stations (name, status, type, printable, reminder_enabled, description, brand_id, id, created_at, updated_at, deleted_at) FROM stdin;
Kitchen	1	1	1	f	\N	1	1	2026-11-27 20:33:48.535452	2026-11-27 20:33:48.535457	\N
Bar	1	0	1	t	\N	1	2	2026-11-27 20:33:48.535458	2026-11-27 20:33:48.535458	\N
Counter	1	0	0	f	Pre-packed goods at the till	1	3	2026-11-27 20:33:48.535459	2026-11-27 20:33:48.535459	\N
\.


--
-- Data for Name: stop_list; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.stop_list (brand_id, product_id, "limit", updated_ms) FROM stdin;
\.


--
-- Data for Name: tags; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.tags (name, brand_id, id) FROM stdin;
vegan	1	1
new	1	2
bestseller	1	3
\.


--
-- Data for Name: taxes; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.taxes (name, rate, type_id, rounding_option, priority, calculation_type, is_default, status, meta, brand_id, id, created_at, updated_at, deleted_at) FROM stdin;
VAT 18%	18	\N	ROUND_HALF_UP	0	0	t	1	{}	1	1	2026-11-27 20:33:48.537932	2026-11-27 20:33:48.537937	\N
Service tax 5%	5	\N	ROUND_HALF_UP	1	0	f	1	{}	1	2	2026-11-27 20:33:48.537937	2026-11-27 20:33:48.537938	\N
\.


--
-- Data for Name: units; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.units (parent_id, name, type, symbol, equal, deleted_at, brand_id, id) FROM stdin;
\N	piece	PIECE	pcs	1	\N	1	1
\N	kilogram	WEIGHT	kg	1	\N	1	2
\N	litre	VOLUME	l	1	\N	1	4
2	gram	WEIGHT	g	0.001	\N	1	3
4	millilitre	VOLUME	ml	0.001	\N	1	5
\.


--
-- Data for Name: users; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.users (email, username, first_name, last_name, pin, card, mobile_number, owner, hide, salary, barcode, tip_message, can_receive_tips, login_at, status, properties, brand_id, id, created_at, updated_at, deleted_at) FROM stdin;
owner@example.test	owner	Olivia	Owner	0000	\N	\N	1	0	0	\N	\N	f	\N	t	[]	1	1	2026-11-27 20:33:48.657979	2026-11-27 20:33:48.657981	\N
\N	barista1	Bruno	Barista	1234	\N	+994550000001	0	0	0	\N	\N	t	\N	t	[]	1	2	2026-11-27 20:33:48.657981	2026-11-27 20:33:48.657982	\N
\N	cashier1	Carla	Cashier	4321	\N	\N	0	0	0	\N	\N	f	\N	t	[]	1	3	2026-11-27 20:33:48.657982	2026-11-27 20:33:48.657983	\N
\N	former	Frank	Former	\N	\N	\N	0	1	0	\N	\N	f	\N	f	[]	1	4	2026-11-27 20:33:48.657983	2026-11-27 20:33:48.657984	\N
\.


--
-- Data for Name: venues; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.venues (brand_id, id, name, is_main, address, phone, email, status, media, created_at, updated_at) FROM stdin;
1	1	Main	t	\N	\N	\N	1	[]	2026-11-27 20:33:48.280421	2026-11-27 20:33:48.280427
\.


--
-- Name: access_state_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.access_state_id_seq', 1, false);


--
-- Name: api_clients_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.api_clients_id_seq', 1, true);


--
-- Name: audit_events_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.audit_events_id_seq', 2, true);


--
-- Name: brands_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.brands_id_seq', 1, true);


--
-- Name: access_state pk_access_state; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.access_state
    ADD CONSTRAINT pk_access_state PRIMARY KEY (id);


--
-- Name: api_clients pk_api_clients; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_clients
    ADD CONSTRAINT pk_api_clients PRIMARY KEY (id);


--
-- Name: audit_events pk_audit_events; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_events
    ADD CONSTRAINT pk_audit_events PRIMARY KEY (id);


--
-- Name: brands pk_brands; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.brands
    ADD CONSTRAINT pk_brands PRIMARY KEY (id);


--
-- Name: categories pk_categories; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.categories
    ADD CONSTRAINT pk_categories PRIMARY KEY (brand_id, id);


--
-- Name: customer_groups pk_customer_groups; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.customer_groups
    ADD CONSTRAINT pk_customer_groups PRIMARY KEY (brand_id, id);


--
-- Name: customers pk_customers; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.customers
    ADD CONSTRAINT pk_customers PRIMARY KEY (brand_id, id);


--
-- Name: id_sequences pk_id_sequences; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.id_sequences
    ADD CONSTRAINT pk_id_sequences PRIMARY KEY (brand_id, name);


--
-- Name: idempotency_keys pk_idempotency_keys; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.idempotency_keys
    ADD CONSTRAINT pk_idempotency_keys PRIMARY KEY (client_id, key);


--
-- Name: integrators pk_integrators; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.integrators
    ADD CONSTRAINT pk_integrators PRIMARY KEY (id);


--
-- Name: modifier_groups pk_modifier_groups; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.modifier_groups
    ADD CONSTRAINT pk_modifier_groups PRIMARY KEY (brand_id, id);


--
-- Name: modifiers pk_modifiers; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.modifiers
    ADD CONSTRAINT pk_modifiers PRIMARY KEY (brand_id, id);


--
-- Name: packages pk_packages; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.packages
    ADD CONSTRAINT pk_packages PRIMARY KEY (brand_id, id);


--
-- Name: payment_methods pk_payment_methods; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.payment_methods
    ADD CONSTRAINT pk_payment_methods PRIMARY KEY (brand_id, id);


--
-- Name: price_list_prices pk_price_list_prices; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.price_list_prices
    ADD CONSTRAINT pk_price_list_prices PRIMARY KEY (brand_id, id);


--
-- Name: price_lists pk_price_lists; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.price_lists
    ADD CONSTRAINT pk_price_lists PRIMARY KEY (brand_id, id);


--
-- Name: product_codes pk_product_codes; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.product_codes
    ADD CONSTRAINT pk_product_codes PRIMARY KEY (brand_id, id);


--
-- Name: product_modifier_groups pk_product_modifier_groups; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.product_modifier_groups
    ADD CONSTRAINT pk_product_modifier_groups PRIMARY KEY (brand_id, product_id, modifier_group_id);


--
-- Name: product_tags pk_product_tags; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.product_tags
    ADD CONSTRAINT pk_product_tags PRIMARY KEY (brand_id, product_id, tag_id);


--
-- Name: product_taxes pk_product_taxes; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.product_taxes
    ADD CONSTRAINT pk_product_taxes PRIMARY KEY (brand_id, product_id, tax_id);


--
-- Name: products pk_products; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.products
    ADD CONSTRAINT pk_products PRIMARY KEY (brand_id, id);


--
-- Name: recipe_items pk_recipe_items; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.recipe_items
    ADD CONSTRAINT pk_recipe_items PRIMARY KEY (brand_id, dish_id, ingredient_id);


--
-- Name: sale_types pk_sale_types; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sale_types
    ADD CONSTRAINT pk_sale_types PRIMARY KEY (brand_id, id);


--
-- Name: signing_keys pk_signing_keys; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signing_keys
    ADD CONSTRAINT pk_signing_keys PRIMARY KEY (kid);


--
-- Name: stations pk_stations; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.stations
    ADD CONSTRAINT pk_stations PRIMARY KEY (brand_id, id);


--
-- Name: stop_list pk_stop_list; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.stop_list
    ADD CONSTRAINT pk_stop_list PRIMARY KEY (brand_id, product_id);


--
-- Name: tags pk_tags; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tags
    ADD CONSTRAINT pk_tags PRIMARY KEY (brand_id, id);


--
-- Name: taxes pk_taxes; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.taxes
    ADD CONSTRAINT pk_taxes PRIMARY KEY (brand_id, id);


--
-- Name: units pk_units; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.units
    ADD CONSTRAINT pk_units PRIMARY KEY (brand_id, id);


--
-- Name: users pk_users; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT pk_users PRIMARY KEY (brand_id, id);


--
-- Name: venues pk_venues; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.venues
    ADD CONSTRAINT pk_venues PRIMARY KEY (brand_id, id);


--
-- Name: api_clients uq_api_clients_client_id; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_clients
    ADD CONSTRAINT uq_api_clients_client_id UNIQUE (client_id);


--
-- Name: brands uq_brands_slug; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.brands
    ADD CONSTRAINT uq_brands_slug UNIQUE (slug);


--
-- Name: customers uq_customers_brand_id_cid; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.customers
    ADD CONSTRAINT uq_customers_brand_id_cid UNIQUE (brand_id, cid);


--
-- Name: customers uq_customers_brand_id_code; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.customers
    ADD CONSTRAINT uq_customers_brand_id_code UNIQUE (brand_id, code);


--
-- Name: customers uq_customers_brand_id_phone; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.customers
    ADD CONSTRAINT uq_customers_brand_id_phone UNIQUE (brand_id, phone);


--
-- Name: price_list_prices uq_price_list_prices_brand_id_list_id_product_id; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.price_list_prices
    ADD CONSTRAINT uq_price_list_prices_brand_id_list_id_product_id UNIQUE (brand_id, list_id, product_id);


--
-- Name: products uq_products_brand_id_cid; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.products
    ADD CONSTRAINT uq_products_brand_id_cid UNIQUE (brand_id, cid);


--
-- Name: ix_api_clients_brand_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_api_clients_brand_id ON public.api_clients USING btree (brand_id);


--
-- Name: ix_audit_events_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_audit_events_at ON public.audit_events USING btree (at);


--
-- Name: ix_audit_events_client_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_audit_events_client_at ON public.audit_events USING btree (client_id, at);


--
-- Name: ix_customers_brand_name; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_customers_brand_name ON public.customers USING btree (brand_id, name);


--
-- Name: ix_idempotency_keys_created_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_idempotency_keys_created_at ON public.idempotency_keys USING btree (created_at);


--
-- Name: ix_products_brand_category; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_products_brand_category ON public.products USING btree (brand_id, category_id);


--
-- Name: ix_products_brand_parent; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_products_brand_parent ON public.products USING btree (brand_id, parent_id);


--
-- Name: api_clients fk_api_clients_brand_id_brands; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_clients
    ADD CONSTRAINT fk_api_clients_brand_id_brands FOREIGN KEY (brand_id) REFERENCES public.brands(id);


--
-- Name: categories fk_categories_brand_id_brands; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.categories
    ADD CONSTRAINT fk_categories_brand_id_brands FOREIGN KEY (brand_id) REFERENCES public.brands(id);


--
-- Name: categories fk_categories_brand_id_parent_id_categories; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.categories
    ADD CONSTRAINT fk_categories_brand_id_parent_id_categories FOREIGN KEY (brand_id, parent_id) REFERENCES public.categories(brand_id, id) ON DELETE CASCADE;


--
-- Name: customer_groups fk_customer_groups_brand_id_brands; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.customer_groups
    ADD CONSTRAINT fk_customer_groups_brand_id_brands FOREIGN KEY (brand_id) REFERENCES public.brands(id);


--
-- Name: customers fk_customers_brand_id_brands; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.customers
    ADD CONSTRAINT fk_customers_brand_id_brands FOREIGN KEY (brand_id) REFERENCES public.brands(id);


--
-- Name: customers fk_customers_brand_id_group_id_customer_groups; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.customers
    ADD CONSTRAINT fk_customers_brand_id_group_id_customer_groups FOREIGN KEY (brand_id, group_id) REFERENCES public.customer_groups(brand_id, id) ON DELETE CASCADE;


--
-- Name: id_sequences fk_id_sequences_brand_id_brands; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.id_sequences
    ADD CONSTRAINT fk_id_sequences_brand_id_brands FOREIGN KEY (brand_id) REFERENCES public.brands(id);


--
-- Name: modifier_groups fk_modifier_groups_brand_id_brands; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.modifier_groups
    ADD CONSTRAINT fk_modifier_groups_brand_id_brands FOREIGN KEY (brand_id) REFERENCES public.brands(id);


--
-- Name: modifiers fk_modifiers_brand_id_brands; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.modifiers
    ADD CONSTRAINT fk_modifiers_brand_id_brands FOREIGN KEY (brand_id) REFERENCES public.brands(id);


--
-- Name: modifiers fk_modifiers_brand_id_group_id_modifier_groups; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.modifiers
    ADD CONSTRAINT fk_modifiers_brand_id_group_id_modifier_groups FOREIGN KEY (brand_id, group_id) REFERENCES public.modifier_groups(brand_id, id) ON DELETE CASCADE;


--
-- Name: modifiers fk_modifiers_brand_id_ingredient_id_products; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.modifiers
    ADD CONSTRAINT fk_modifiers_brand_id_ingredient_id_products FOREIGN KEY (brand_id, ingredient_id) REFERENCES public.products(brand_id, id) ON DELETE CASCADE;


--
-- Name: packages fk_packages_brand_id_brands; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.packages
    ADD CONSTRAINT fk_packages_brand_id_brands FOREIGN KEY (brand_id) REFERENCES public.brands(id);


--
-- Name: packages fk_packages_brand_id_product_id_products; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.packages
    ADD CONSTRAINT fk_packages_brand_id_product_id_products FOREIGN KEY (brand_id, product_id) REFERENCES public.products(brand_id, id) ON DELETE CASCADE;


--
-- Name: payment_methods fk_payment_methods_brand_id_brands; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.payment_methods
    ADD CONSTRAINT fk_payment_methods_brand_id_brands FOREIGN KEY (brand_id) REFERENCES public.brands(id);


--
-- Name: price_list_prices fk_price_list_prices_brand_id_brands; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.price_list_prices
    ADD CONSTRAINT fk_price_list_prices_brand_id_brands FOREIGN KEY (brand_id) REFERENCES public.brands(id);


--
-- Name: price_list_prices fk_price_list_prices_brand_id_list_id_price_lists; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.price_list_prices
    ADD CONSTRAINT fk_price_list_prices_brand_id_list_id_price_lists FOREIGN KEY (brand_id, list_id) REFERENCES public.price_lists(brand_id, id) ON DELETE CASCADE;


--
-- Name: price_list_prices fk_price_list_prices_brand_id_product_id_products; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.price_list_prices
    ADD CONSTRAINT fk_price_list_prices_brand_id_product_id_products FOREIGN KEY (brand_id, product_id) REFERENCES public.products(brand_id, id) ON DELETE CASCADE;


--
-- Name: price_lists fk_price_lists_brand_id_brands; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.price_lists
    ADD CONSTRAINT fk_price_lists_brand_id_brands FOREIGN KEY (brand_id) REFERENCES public.brands(id);


--
-- Name: product_codes fk_product_codes_brand_id_brands; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.product_codes
    ADD CONSTRAINT fk_product_codes_brand_id_brands FOREIGN KEY (brand_id) REFERENCES public.brands(id);


--
-- Name: product_codes fk_product_codes_brand_id_product_id_products; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.product_codes
    ADD CONSTRAINT fk_product_codes_brand_id_product_id_products FOREIGN KEY (brand_id, product_id) REFERENCES public.products(brand_id, id) ON DELETE CASCADE;


--
-- Name: product_modifier_groups fk_product_modifier_groups_brand_id_brands; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.product_modifier_groups
    ADD CONSTRAINT fk_product_modifier_groups_brand_id_brands FOREIGN KEY (brand_id) REFERENCES public.brands(id);


--
-- Name: product_modifier_groups fk_product_modifier_groups_brand_id_modifier_group_id_m_f40c; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.product_modifier_groups
    ADD CONSTRAINT fk_product_modifier_groups_brand_id_modifier_group_id_m_f40c FOREIGN KEY (brand_id, modifier_group_id) REFERENCES public.modifier_groups(brand_id, id) ON DELETE CASCADE;


--
-- Name: product_modifier_groups fk_product_modifier_groups_brand_id_product_id_products; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.product_modifier_groups
    ADD CONSTRAINT fk_product_modifier_groups_brand_id_product_id_products FOREIGN KEY (brand_id, product_id) REFERENCES public.products(brand_id, id) ON DELETE CASCADE;


--
-- Name: product_tags fk_product_tags_brand_id_brands; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.product_tags
    ADD CONSTRAINT fk_product_tags_brand_id_brands FOREIGN KEY (brand_id) REFERENCES public.brands(id);


--
-- Name: product_tags fk_product_tags_brand_id_product_id_products; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.product_tags
    ADD CONSTRAINT fk_product_tags_brand_id_product_id_products FOREIGN KEY (brand_id, product_id) REFERENCES public.products(brand_id, id) ON DELETE CASCADE;


--
-- Name: product_tags fk_product_tags_brand_id_tag_id_tags; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.product_tags
    ADD CONSTRAINT fk_product_tags_brand_id_tag_id_tags FOREIGN KEY (brand_id, tag_id) REFERENCES public.tags(brand_id, id) ON DELETE CASCADE;


--
-- Name: product_taxes fk_product_taxes_brand_id_brands; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.product_taxes
    ADD CONSTRAINT fk_product_taxes_brand_id_brands FOREIGN KEY (brand_id) REFERENCES public.brands(id);


--
-- Name: product_taxes fk_product_taxes_brand_id_product_id_products; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.product_taxes
    ADD CONSTRAINT fk_product_taxes_brand_id_product_id_products FOREIGN KEY (brand_id, product_id) REFERENCES public.products(brand_id, id) ON DELETE CASCADE;


--
-- Name: product_taxes fk_product_taxes_brand_id_tax_id_taxes; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.product_taxes
    ADD CONSTRAINT fk_product_taxes_brand_id_tax_id_taxes FOREIGN KEY (brand_id, tax_id) REFERENCES public.taxes(brand_id, id) ON DELETE CASCADE;


--
-- Name: products fk_products_brand_id_brands; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.products
    ADD CONSTRAINT fk_products_brand_id_brands FOREIGN KEY (brand_id) REFERENCES public.brands(id);


--
-- Name: products fk_products_brand_id_category_id_categories; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.products
    ADD CONSTRAINT fk_products_brand_id_category_id_categories FOREIGN KEY (brand_id, category_id) REFERENCES public.categories(brand_id, id) ON DELETE CASCADE;


--
-- Name: products fk_products_brand_id_parent_id_products; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.products
    ADD CONSTRAINT fk_products_brand_id_parent_id_products FOREIGN KEY (brand_id, parent_id) REFERENCES public.products(brand_id, id) ON DELETE CASCADE;


--
-- Name: products fk_products_brand_id_station_id_stations; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.products
    ADD CONSTRAINT fk_products_brand_id_station_id_stations FOREIGN KEY (brand_id, station_id) REFERENCES public.stations(brand_id, id) ON DELETE CASCADE;


--
-- Name: products fk_products_brand_id_unit_id_units; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.products
    ADD CONSTRAINT fk_products_brand_id_unit_id_units FOREIGN KEY (brand_id, unit_id) REFERENCES public.units(brand_id, id) ON DELETE CASCADE;


--
-- Name: recipe_items fk_recipe_items_brand_id_brands; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.recipe_items
    ADD CONSTRAINT fk_recipe_items_brand_id_brands FOREIGN KEY (brand_id) REFERENCES public.brands(id);


--
-- Name: recipe_items fk_recipe_items_brand_id_dish_id_products; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.recipe_items
    ADD CONSTRAINT fk_recipe_items_brand_id_dish_id_products FOREIGN KEY (brand_id, dish_id) REFERENCES public.products(brand_id, id) ON DELETE CASCADE;


--
-- Name: recipe_items fk_recipe_items_brand_id_ingredient_id_products; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.recipe_items
    ADD CONSTRAINT fk_recipe_items_brand_id_ingredient_id_products FOREIGN KEY (brand_id, ingredient_id) REFERENCES public.products(brand_id, id) ON DELETE CASCADE;


--
-- Name: sale_types fk_sale_types_brand_id_brands; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sale_types
    ADD CONSTRAINT fk_sale_types_brand_id_brands FOREIGN KEY (brand_id) REFERENCES public.brands(id);


--
-- Name: sale_types fk_sale_types_brand_id_payment_method_id_payment_methods; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sale_types
    ADD CONSTRAINT fk_sale_types_brand_id_payment_method_id_payment_methods FOREIGN KEY (brand_id, payment_method_id) REFERENCES public.payment_methods(brand_id, id) ON DELETE CASCADE;


--
-- Name: stations fk_stations_brand_id_brands; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.stations
    ADD CONSTRAINT fk_stations_brand_id_brands FOREIGN KEY (brand_id) REFERENCES public.brands(id);


--
-- Name: stop_list fk_stop_list_brand_id_brands; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.stop_list
    ADD CONSTRAINT fk_stop_list_brand_id_brands FOREIGN KEY (brand_id) REFERENCES public.brands(id);


--
-- Name: stop_list fk_stop_list_brand_id_product_id_products; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.stop_list
    ADD CONSTRAINT fk_stop_list_brand_id_product_id_products FOREIGN KEY (brand_id, product_id) REFERENCES public.products(brand_id, id) ON DELETE CASCADE;


--
-- Name: tags fk_tags_brand_id_brands; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tags
    ADD CONSTRAINT fk_tags_brand_id_brands FOREIGN KEY (brand_id) REFERENCES public.brands(id);


--
-- Name: taxes fk_taxes_brand_id_brands; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.taxes
    ADD CONSTRAINT fk_taxes_brand_id_brands FOREIGN KEY (brand_id) REFERENCES public.brands(id);


--
-- Name: units fk_units_brand_id_brands; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.units
    ADD CONSTRAINT fk_units_brand_id_brands FOREIGN KEY (brand_id) REFERENCES public.brands(id);


--
-- Name: units fk_units_brand_id_parent_id_units; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.units
    ADD CONSTRAINT fk_units_brand_id_parent_id_units FOREIGN KEY (brand_id, parent_id) REFERENCES public.units(brand_id, id) ON DELETE CASCADE;


--
-- Name: users fk_users_brand_id_brands; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT fk_users_brand_id_brands FOREIGN KEY (brand_id) REFERENCES public.brands(id);


--
-- Name: venues fk_venues_brand_id_brands; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.venues
    ADD CONSTRAINT fk_venues_brand_id_brands FOREIGN KEY (brand_id) REFERENCES public.brands(id);


--
-- PostgreSQL database dump complete
--

\unrestrict Ymerfj0fyJWbls0KozhU5ekfJQ0lUaJmVq5N5cazLPeEXjafxRnVHrF9grfP8sO

