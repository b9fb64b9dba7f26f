/*
 * aliyun_auth.c - mosquitto 2.0 plugin (plugin API v5) that authenticates and authorises clients the way the
 * Alibaba Cloud IoT Platform does, for tests. Built by AliyunIot.TestBroker with gcc at broker start:
 *
 *   gcc -shared -fPIC -O2 -o aliyun_auth.so aliyun_auth.c -lcrypto
 *
 * Options (mosquitto.conf, per_listener_settings true: the plugin is loaded once per listener, see below):
 *   plugin_opt_credentials <path>   credentials file, re-read whenever it changes (checked on every CONNECT)
 *   plugin_opt_transport tls|tcp    what the listener this instance serves is: the ClientIdentifier's securemode
 *                                   is checked against it (securemode_refusal())
 *
 * Two instances, one state: mosquitto 2.0's plugin API tells a plugin nothing about the listener a client came in on,
 * so the broker runs with per_listener_settings true and loads this plugin after each listener with its transport.
 * Both loads dlopen the same file, so the globals below (credentials, live identities, issued tokens) are shared by
 * the two instances, as they must be (one login on TLS closes the same identity's older login on TCP); only the
 * transport and the plugin identifier are per instance (struct instance, the callbacks' userdata).
 *
 * Credentials file, one entry per line, fields separated by single spaces; later lines override earlier ones:
 *   cloud <username> <password>        privileged identity (may publish/subscribe anything)
 *   product <productKey> <productSecret> [nwl]  product with dynamic registration enabled ("nwl": also without
 *                                        pre-registration, the console's per-product switch)
 *   device <productKey> <deviceName> <deviceSecret>
 *   token <productKey> <deviceName> <clientId> <deviceToken>  credential issued by regnwl (kept by the cloud)
 *
 * Authentication (aliyun-protocol.md section 1.3):
 *   ClientIdentifier = <clientId> "|" key=value{,key=value} "|"    UserName = <deviceName> "&" <productKey>
 *   Password = hex(HMAC_<signmethod>(deviceSecret, sorted name+value of clientId, deviceName, productKey
 *   [, timestamp when present])), compared case-insensitively; any timestamp value is accepted.
 *   signmethod: hmacsha1 | hmacsha256 | hmacmd5 (default hmacmd5 when absent, as documented).
 * Dynamic registration (section 2.3, pre-registration variant): authType=register, random=<r>;
 *   Password = hex(HMAC(productSecret, "deviceName<dn>productKey<pk>random<r>")). The device must exist
 *   (pre-registration) under a product that has a product secret. After the CONNACK the plugin pushes
 *   {"productKey","deviceName","deviceSecret"} on /ext/register to that client without a SUBSCRIBE, as the
 *   platform does. Test-only extension: such a connection may also SUBSCRIBE /ext/register and /ext/regnwl and
 *   receives there only messages whose payload names its own deviceName and productKey (a privileged cloud
 *   client may publish the secret itself).
 * Dynamic registration without pre-registration (section 2.3, aliyun-protocol.md; Link SDK 4.x
 *   components/dynreg-mqtt; Alibaba Cloud "MQTT-based dynamic registration",
 *   https://www.alibabacloud.com/help/doc-detail/132111.htm; its keep-alive is not checked): authType=regnwl, random=<r>, same password rule; the
 *   product must allow it ("nwl"), the device need not exist (its name must follow the platform's naming rule).
 *   After the CONNACK the plugin pushes {"clientId","productKey","deviceName","deviceToken"} on /ext/regnwl to
 *   that client and announces the credential to the cloud on $aliyuniot/registered/<pk>/<dn> (retained, only the
 *   cloud identity can read it) so the local cloud records the device. The device then connects with
 *   ClientIdentifier <clientId>|securemode=-2,authType=connwl,...|, UserName <dn>&<pk>, Password <deviceToken>.
 *   A new regnwl for the same device replaces its token.
 * Authorisation: per-device ACL, see device_may_access(). Refusals are logged without secrets.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <mosquitto.h>
#include <mosquitto_broker.h>
#include <mosquitto_plugin.h>

#define BUCKETS 4096

struct entry {
	struct entry *next;
	char *pk;
	char *dn;   /* NULL for products */
	char *secret; /* tokens: "<clientId> <deviceToken>" */
	bool nwl;   /* products: registration without pre-registration allowed */
	bool replacing; /* live: the same ClientIdentifier logged in again; mosquitto closes its older connection */
};

/* One per listener: its plugin identifier and whether it is the TLS listener. */
struct instance {
	mosquitto_plugin_id_t *id;
	bool tls;
};

/* Instances initialised and not yet cleaned up: the shared state is set up by the first, freed by the last. */
static int g_instances;
static char *g_path;
static struct stat g_seen;
static bool g_loaded;
static struct entry *g_devices[BUCKETS];
static struct entry *g_products[BUCKETS];
/* (pk, dn) -> ClientIdentifier of that device's live connection, kept in the entry's "secret" field ("" when
 * none). Separate from the credentials tables: a credentials reload must not forget who is connected. */
static struct entry *g_live[BUCKETS];
/* Tokens from the credentials file, and tokens issued by regnwl since start (never dropped by a reload, so a device
 * can connect before the cloud has written its token to the file). */
static struct entry *g_tokens[BUCKETS];
static struct entry *g_issued[BUCKETS];
static char *g_cloud_user;
static char *g_cloud_pass;

static unsigned hash2(const char *a, const char *b)
{
	unsigned h = 2166136261u;
	for(; a && *a; a++){ h = (h ^ (unsigned char)*a) * 16777619u; }
	h = (h ^ 0xff) * 16777619u;
	for(; b && *b; b++){ h = (h ^ (unsigned char)*b) * 16777619u; }
	return h % BUCKETS;
}

static void free_table(struct entry **table)
{
	for(int i = 0; i < BUCKETS; i++){
		struct entry *e = table[i];
		while(e){
			struct entry *n = e->next;
			free(e->pk); free(e->dn);
			if(e->secret){ memset(e->secret, 0, strlen(e->secret)); free(e->secret); }
			free(e);
			e = n;
		}
		table[i] = NULL;
	}
}

static struct entry *find(struct entry **table, const char *pk, const char *dn)
{
	for(struct entry *e = table[hash2(pk, dn)]; e; e = e->next){
		if(strcmp(e->pk, pk) == 0 && ((dn == NULL && e->dn == NULL) || (dn && e->dn && strcmp(e->dn, dn) == 0))){
			return e;
		}
	}
	return NULL;
}

static struct entry *put(struct entry **table, const char *pk, const char *dn, const char *secret)
{
	struct entry *e = find(table, pk, dn);
	if(e){
		if(e->secret){ memset(e->secret, 0, strlen(e->secret)); free(e->secret); }
		e->secret = strdup(secret);
		return e;
	}
	e = calloc(1, sizeof(*e));
	if(!e) return NULL;
	e->pk = strdup(pk);
	e->dn = dn ? strdup(dn) : NULL;
	e->secret = strdup(secret);
	unsigned h = hash2(pk, dn);
	e->next = table[h];
	table[h] = e;
	return e;
}

/* Re-reads the credentials file when its identity, size or modification time changed. */
static void reload_if_changed(void)
{
	struct stat st;
	if(!g_path || stat(g_path, &st) != 0){
		return;
	}
	if(g_loaded && st.st_ino == g_seen.st_ino && st.st_size == g_seen.st_size
			&& st.st_mtim.tv_sec == g_seen.st_mtim.tv_sec && st.st_mtim.tv_nsec == g_seen.st_mtim.tv_nsec){
		return;
	}
	FILE *f = fopen(g_path, "r");
	if(!f){
		mosquitto_log_printf(MOSQ_LOG_ERR, "aliyun_auth: cannot open credentials file %s", g_path);
		return;
	}
	free_table(g_devices);
	free_table(g_products);
	free_table(g_tokens);
	free(g_cloud_user); g_cloud_user = NULL;
	free(g_cloud_pass); g_cloud_pass = NULL;
	/* getline: a line of any length (a long secret or token must not be split into a second, bogus entry). */
	char *line = NULL;
	size_t capacity = 0;
	int devices = 0, products = 0, tokens = 0;
	while(getline(&line, &capacity, f) != -1){
		line[strcspn(line, "\r\n")] = '\0';
		char *save = NULL;
		char *kind = strtok_r(line, " ", &save);
		if(!kind) continue;
		char *a = strtok_r(NULL, " ", &save);
		char *b = strtok_r(NULL, " ", &save);
		char *c = strtok_r(NULL, " ", &save);
		char *d = strtok_r(NULL, " ", &save);
		if(strcmp(kind, "cloud") == 0 && a && b){
			free(g_cloud_user); free(g_cloud_pass);
			g_cloud_user = strdup(a); g_cloud_pass = strdup(b);
		}else if(strcmp(kind, "product") == 0 && a && b){
			struct entry *product = put(g_products, a, NULL, b);
			if(product) product->nwl = c && strcmp(c, "nwl") == 0;
			products++;
		}else if(strcmp(kind, "device") == 0 && a && b && c){
			put(g_devices, a, b, c); devices++;
		}else if(strcmp(kind, "token") == 0 && a && b && c && d){
			char pair[600];
			int n = snprintf(pair, sizeof(pair), "%s %s", c, d);
			if(n > 0 && n < (int)sizeof(pair)) { put(g_tokens, a, b, pair); tokens++; }
			memset(pair, 0, sizeof(pair));
		}
	}
	if(line){
		memset(line, 0, capacity);
		free(line);
	}
	fclose(f);
	g_seen = st;
	g_loaded = true;
	mosquitto_log_printf(MOSQ_LOG_INFO, "aliyun_auth: loaded %d device(s), %d product(s), %d token(s)", devices, products, tokens);
}

/* Parsed ClientIdentifier: clientId prefix and the key=value pairs of the extension block. */
struct client_ident {
	char buf[1024];
	const char *client_id;
	const char *signmethod;
	const char *timestamp;
	const char *auth_type;
	const char *random;
	const char *securemode;
	bool ok;
};

/* Cuts ASCII whitespace from both ends of s (in place); returns the new start. */
static char *trim(char *s)
{
	while(*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
	size_t n = strlen(s);
	while(n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) s[--n] = '\0';
	return s;
}

/*
 * Whitespace around the identifier and around each key and value is ignored, as the platform does: the official
 * Node SDK (npm alibabacloud-iot-device-sdk 1.2.8, lib/model.js genConnectPrarms) sends
 * "\n        {clientId}|securemode=2,\n        signmethod=hmacsha1,\n        timestamp={ms}|\n      " and connects.
 */
static void parse_client_ident(const char *id, struct client_ident *ci)
{
	memset(ci, 0, sizeof(*ci));
	if(!id || strlen(id) >= sizeof(ci->buf)) return;
	strcpy(ci->buf, id);
	char *start = trim(ci->buf);
	char *bar = strchr(start, '|');
	if(!bar) return;
	size_t len = strlen(start);
	if(len < 2 || start[len - 1] != '|' || bar == start + len - 1) return;
	*bar = '\0';
	start[len - 1] = '\0';
	ci->client_id = trim(start);
	char *save = NULL;
	for(char *kv = strtok_r(bar + 1, ",", &save); kv; kv = strtok_r(NULL, ",", &save)){
		char *eq = strchr(kv, '=');
		if(!eq) continue;
		*eq = '\0';
		kv = trim(kv);
		const char *v = trim(eq + 1);
		if(strcmp(kv, "signmethod") == 0) ci->signmethod = v;
		else if(strcmp(kv, "timestamp") == 0) ci->timestamp = v;
		else if(strcmp(kv, "authType") == 0) ci->auth_type = v;
		else if(strcmp(kv, "random") == 0) ci->random = v;
		else if(strcmp(kv, "securemode") == 0) ci->securemode = v;
	}
	ci->ok = true;
}

/* Splits "deviceName&productKey" into dn/pk (copied into out, which must be at least strlen+1). */
static bool split_username(const char *username, char *out, size_t outlen, const char **dn, const char **pk)
{
	if(!username || strlen(username) >= outlen) return false;
	strcpy(out, username);
	char *amp = strchr(out, '&');
	if(!amp || amp == out || amp[1] == '\0') return false;
	*amp = '\0';
	*dn = out;
	*pk = amp + 1;
	return true;
}

static bool hmac_hex_equals(const char *method, const char *key, const char *content, const char *password)
{
	const EVP_MD *md;
	if(method == NULL || strcmp(method, "hmacmd5") == 0) md = EVP_md5();
	else if(strcmp(method, "hmacsha1") == 0) md = EVP_sha1();
	else if(strcmp(method, "hmacsha256") == 0) md = EVP_sha256();
	else return false;
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	if(!HMAC(md, key, (int)strlen(key), (const unsigned char *)content, strlen(content), mac, &maclen)) return false;
	if(!password || strlen(password) != maclen * 2) return false;
	static const char hex[] = "0123456789abcdef";
	bool equal = true;
	for(unsigned int i = 0; i < maclen; i++){
		if(tolower((unsigned char)password[2 * i]) != hex[mac[i] >> 4]) equal = false;
		if(tolower((unsigned char)password[2 * i + 1]) != hex[mac[i] & 0x0f]) equal = false;
	}
	memset(mac, 0, sizeof(mac));
	return equal;
}

static bool is_cloud(const char *username)
{
	return username && g_cloud_user && strcmp(username, g_cloud_user) == 0;
}

struct levels;
static void take_over_identity(const char *pk, const char *dn, const char *client_id);
static void publish_presence(const char *pk, const char *dn, bool online);
static void publish_presence_text(const char *pk, const char *dn, const char *state);
static const char *platform_refuses(const struct levels *l, int access, int qos, uint32_t payloadlen);
static const char *platform_refuses_connect(struct mosquitto *client, const char *client_id, bool registration);
static const char *securemode_refusal(const struct client_ident *ci, bool registration, bool tls, char *buf, size_t buflen);

/* The platform's DeviceName rule: 4-32 characters of letters, digits and - _ @ . : */
static bool valid_device_name(const char *dn)
{
	size_t n = strlen(dn);
	if(n < 4 || n > 32) return false;
	for(size_t i = 0; i < n; i++){
		char c = dn[i];
		if(!(isalnum((unsigned char)c) || c == '-' || c == '_' || c == '@' || c == '.' || c == ':')) return false;
	}
	return true;
}

static bool random_hex(char *out, size_t bytes)
{
	unsigned char raw[32];
	if(bytes > sizeof(raw) || RAND_bytes(raw, (int)bytes) != 1) return false;
	static const char hex[] = "0123456789abcdef";
	for(size_t i = 0; i < bytes; i++){
		out[2 * i] = hex[raw[i] >> 4];
		out[2 * i + 1] = hex[raw[i] & 0x0f];
	}
	out[2 * bytes] = '\0';
	memset(raw, 0, sizeof(raw));
	return true;
}

/* stored = "<clientId> <deviceToken>"; compares both without early exit on the token. */
static bool token_matches(const char *stored, const char *client_id, const char *password)
{
	const char *space = strchr(stored, ' ');
	if(!space || !client_id || !password) return false;
	size_t idlen = (size_t)(space - stored);
	if(strlen(client_id) != idlen || strncmp(stored, client_id, idlen) != 0) return false;
	const char *token = space + 1;
	size_t n = strlen(token);
	if(strlen(password) != n) return false;
	unsigned char diff = 0;
	for(size_t i = 0; i < n; i++) diff |= (unsigned char)(token[i] ^ password[i]);
	return diff == 0;
}

/* authType=regnwl: checks the product's switch and the signature, issues clientId + deviceToken. */
static int register_without_pre_registration(const char *id, const char *pk, const char *dn, const struct client_ident *ci, const char *password)
{
	struct entry *product = find(g_products, pk, NULL);
	const char *refusal = !product ? "unknown product (or dynamic registration off)"
			: (!product->nwl ? "registration without pre-registration is off for this product"
			: (!ci->random ? "no random" : (!valid_device_name(dn) ? "deviceName breaks the naming rule" : NULL)));
	if(refusal){
		mosquitto_log_printf(MOSQ_LOG_NOTICE, "aliyun_auth: refused registration %s&%s: %s", dn, pk, refusal);
		return MOSQ_ERR_AUTH;
	}
	char content[2048];
	snprintf(content, sizeof(content), "deviceName%sproductKey%srandom%s", dn, pk, ci->random);
	if(!hmac_hex_equals(ci->signmethod, product->secret, content, password)){
		mosquitto_log_printf(MOSQ_LOG_NOTICE, "aliyun_auth: refused registration %s&%s: sign mismatch", dn, pk);
		return MOSQ_ERR_AUTH;
	}
	char client_id[33], token[65], pair[100], payload[1024], topic[600];
	if(!random_hex(client_id, 16) || !random_hex(token, 32)){
		mosquitto_log_printf(MOSQ_LOG_ERR, "aliyun_auth: refused registration %s&%s: no random bytes", dn, pk);
		return MOSQ_ERR_AUTH;
	}
	snprintf(pair, sizeof(pair), "%s %s", client_id, token);
	put(g_issued, pk, dn, pair);
	int n = snprintf(payload, sizeof(payload), "{\"clientId\":\"%s\",\"productKey\":\"%s\",\"deviceName\":\"%s\",\"deviceToken\":\"%s\"}", client_id, pk, dn, token);
	int t = snprintf(topic, sizeof(topic), "$aliyuniot/registered/%s/%s", pk, dn);
	if(n > 0 && n < (int)sizeof(payload)){
		mosquitto_broker_publish_copy(id, "/ext/regnwl", n, payload, 1, false, NULL);
		if(t > 0 && t < (int)sizeof(topic)){
			mosquitto_broker_publish_copy(NULL, topic, n, payload, 1, true, NULL);
		}
	}
	memset(payload, 0, sizeof(payload));
	memset(pair, 0, sizeof(pair));
	memset(token, 0, sizeof(token));
	mosquitto_log_printf(MOSQ_LOG_INFO, "aliyun_auth: registration without pre-registration of %s&%s accepted", dn, pk);
	return MOSQ_ERR_SUCCESS;
}

static int on_basic_auth(int event, void *event_data, void *userdata)
{
	(void)event;
	const struct instance *self = userdata;
	struct mosquitto_evt_basic_auth *ed = event_data;
	const char *id = mosquitto_client_id(ed->client);
	reload_if_changed();

	if(is_cloud(ed->username)){
		if(ed->password && g_cloud_pass && strcmp(ed->password, g_cloud_pass) == 0) return MOSQ_ERR_SUCCESS;
		mosquitto_log_printf(MOSQ_LOG_NOTICE, "aliyun_auth: refused cloud client %s: wrong password", id ? id : "");
		return MOSQ_ERR_AUTH;
	}

	char user[512];
	const char *dn = NULL, *pk = NULL;
	if(!split_username(ed->username, user, sizeof(user), &dn, &pk)){
		mosquitto_log_printf(MOSQ_LOG_NOTICE, "aliyun_auth: refused %s: username is not deviceName&productKey", id ? id : "");
		return MOSQ_ERR_AUTH;
	}
	struct client_ident ci;
	parse_client_ident(id, &ci);
	if(!ci.ok){
		mosquitto_log_printf(MOSQ_LOG_NOTICE, "aliyun_auth: refused %s: ClientIdentifier has no |...| extension block", id ? id : "");
		return MOSQ_ERR_AUTH;
	}
	bool registration = ci.auth_type && (strcmp(ci.auth_type, "register") == 0 || strcmp(ci.auth_type, "regnwl") == 0);
	char why[160];
	const char *connect_refusal = securemode_refusal(&ci, registration, self->tls, why, sizeof(why));
	if(!connect_refusal) connect_refusal = platform_refuses_connect(ed->client, ci.client_id, registration);
	if(connect_refusal){
		mosquitto_log_printf(MOSQ_LOG_NOTICE, "aliyun_auth: refused %s&%s: %s", dn, pk, connect_refusal);
		return MOSQ_ERR_AUTH;
	}
	char content[2048];

	if(ci.auth_type && strcmp(ci.auth_type, "register") == 0){
		struct entry *product = find(g_products, pk, NULL);
		struct entry *device = find(g_devices, pk, dn);
		if(!product || !device || !ci.random){
			mosquitto_log_printf(MOSQ_LOG_NOTICE, "aliyun_auth: refused registration %s&%s: %s", dn, pk,
					!product ? "unknown product" : (!device ? "device not pre-registered" : "no random"));
			return MOSQ_ERR_AUTH;
		}
		snprintf(content, sizeof(content), "deviceName%sproductKey%srandom%s", dn, pk, ci.random);
		if(!hmac_hex_equals(ci.signmethod, product->secret, content, ed->password)){
			mosquitto_log_printf(MOSQ_LOG_NOTICE, "aliyun_auth: refused registration %s&%s: sign mismatch", dn, pk);
			return MOSQ_ERR_AUTH;
		}
		char payload[1024];
		int n = snprintf(payload, sizeof(payload), "{\"productKey\":\"%s\",\"deviceName\":\"%s\",\"deviceSecret\":\"%s\"}", pk, dn, device->secret);
		if(n > 0 && n < (int)sizeof(payload)){
			mosquitto_broker_publish_copy(id, "/ext/register", n, payload, 1, false, NULL);
		}
		memset(payload, 0, sizeof(payload));
		mosquitto_log_printf(MOSQ_LOG_INFO, "aliyun_auth: registration of %s&%s accepted", dn, pk);
		return MOSQ_ERR_SUCCESS;
	}
	if(ci.auth_type && strcmp(ci.auth_type, "regnwl") == 0){
		return register_without_pre_registration(id, pk, dn, &ci, ed->password);
	}
	if(ci.auth_type && strcmp(ci.auth_type, "connwl") == 0){
		struct entry *token = find(g_issued, pk, dn);
		if(!token) token = find(g_tokens, pk, dn);
		if(!token || !token_matches(token->secret, ci.client_id, ed->password)){
			mosquitto_log_printf(MOSQ_LOG_NOTICE, "aliyun_auth: refused %s&%s: %s", dn, pk,
					!token ? "no deviceToken issued for this device" : "clientId or deviceToken does not match");
			return MOSQ_ERR_AUTH;
		}
		take_over_identity(pk, dn, id);
		return MOSQ_ERR_SUCCESS;
	}
	if(ci.auth_type){
		mosquitto_log_printf(MOSQ_LOG_NOTICE, "aliyun_auth: refused %s&%s: authType %s not supported", dn, pk, ci.auth_type);
		return MOSQ_ERR_AUTH;
	}

	struct entry *device = find(g_devices, pk, dn);
	if(!device){
		mosquitto_log_printf(MOSQ_LOG_NOTICE, "aliyun_auth: refused %s&%s: unknown device", dn, pk);
		return MOSQ_ERR_AUTH;
	}
	if(ci.timestamp){
		snprintf(content, sizeof(content), "clientId%sdeviceName%sproductKey%stimestamp%s", ci.client_id, dn, pk, ci.timestamp);
	}else{
		snprintf(content, sizeof(content), "clientId%sdeviceName%sproductKey%s", ci.client_id, dn, pk);
	}
	if(!hmac_hex_equals(ci.signmethod, device->secret, content, ed->password)){
		mosquitto_log_printf(MOSQ_LOG_NOTICE, "aliyun_auth: refused %s&%s: sign mismatch (signmethod %s)", dn, pk,
				ci.signmethod ? ci.signmethod : "(default hmacmd5)");
		return MOSQ_ERR_AUTH;
	}
	take_over_identity(pk, dn, id);
	return MOSQ_ERR_SUCCESS;
}

/* The platform keeps one connection per device identity: a new one closes the older, whatever its
 * ClientIdentifier (mosquitto alone only takes over a connection with the same ClientIdentifier). Kicked by
 * ClientIdentifier, which only finds authorised clients, never the one being authorised now. */
static void take_over_identity(const char *pk, const char *dn, const char *client_id)
{
	if(!client_id) return;
	struct entry *live = find(g_live, pk, dn);
	if(live && live->secret[0] != '\0'){
		/* The older connection's end is announced here, before the new one's start ("kicked by another login"),
		 * not by on_disconnect (which runs later, or, for the same ClientIdentifier, with a plain "success"). */
		publish_presence_text(pk, dn, "offline kicked: the same device identity logged in on a new connection");
		if(strcmp(live->secret, client_id) != 0){
			mosquitto_log_printf(MOSQ_LOG_NOTICE, "aliyun_auth: %s&%s connected again as %s: closing its older connection %s",
					dn, pk, client_id, live->secret);
			char *older = strdup(live->secret);
			put(g_live, pk, dn, "");
			if(older){
				mosquitto_kick_client_by_clientid(older, true);
				free(older);
			}
		}else{
			live->replacing = true;
		}
	}
	put(g_live, pk, dn, client_id);
	publish_presence(pk, dn, true);
}

static int on_disconnect(int event, void *event_data, void *userdata)
{
	(void)event; (void)userdata;
	struct mosquitto_evt_disconnect *ed = event_data;
	const char *id = mosquitto_client_id(ed->client);
	char user[512];
	const char *dn = NULL, *pk = NULL;
	if(!id || !split_username(mosquitto_client_username(ed->client), user, sizeof(user), &dn, &pk)){
		return MOSQ_ERR_SUCCESS;
	}
	struct entry *live = find(g_live, pk, dn);
	if(live && strcmp(live->secret, id) == 0){
		if(live->replacing){
			live->replacing = false; /* the older connection of a ClientIdentifier that logged in again */
			return MOSQ_ERR_SUCCESS;
		}
		/* mosquitto 2.0 passes no reason here (-1); the local cloud reads it from mosquitto's log line. */
		put(g_live, pk, dn, "");
		publish_presence(pk, dn, false);
	}
	return MOSQ_ERR_SUCCESS;
}

/* Topic/filter levels, split on '/'. A leading '/' gives an empty first level, as in MQTT. */
#define MAX_LEVELS 32
struct levels {
	char buf[1024];
	const char *lv[MAX_LEVELS];
	int n;
};

static bool split_levels(const char *topic, struct levels *l)
{
	l->n = 0;
	if(!topic || strlen(topic) >= sizeof(l->buf)) return false;
	strcpy(l->buf, topic);
	char *p = l->buf;
	for(;;){
		if(l->n == MAX_LEVELS) return false;
		l->lv[l->n++] = p;
		char *slash = strchr(p, '/');
		if(!slash) break;
		*slash = '\0';
		p = slash + 1;
	}
	return true;
}

/*
 * Matches levels against a pattern of literal levels, "*" (any single level except '#', '+' allowed so that
 * filters like /ext/rrpc/+/... pass) and a final "..." (one or more further levels, '#'/'+' allowed).
 * pk/dn positions are literals, so wildcards there never match (the platform refuses /sys/+/+/...).
 */
static bool match_pattern(const struct levels *l, const char *const *pattern, int count)
{
	bool tail = count > 0 && strcmp(pattern[count - 1], "...") == 0;
	int fixed = tail ? count - 1 : count;
	if(tail ? l->n <= fixed : l->n != fixed) return false;
	for(int i = 0; i < fixed; i++){
		if(strcmp(pattern[i], "*") == 0){
			if(strcmp(l->lv[i], "#") == 0 || l->lv[i][0] == '\0') return false;
		}else if(strcmp(pattern[i], l->lv[i]) != 0){
			return false;
		}
	}
	return true;
}

static bool device_may_access(const char *pk, const char *dn, const struct levels *l, int access)
{
#define P(...) do{ const char *p[] = { __VA_ARGS__ }; if(match_pattern(l, p, (int)(sizeof(p) / sizeof(p[0])))) return true; }while(0)
	P("", "sys", pk, dn, "...");
	P("", pk, dn, "...");
	P("", "ota", "device", "*", pk, dn);
	/* Device shadow (https://help.aliyun.com/document_detail/53964.html): update is published, get subscribed. */
	P("", "shadow", "update", pk, dn);
	P("", "shadow", "get", pk, dn);
	P("", "ext", "rrpc", "*", "sys", pk, dn, "...");
	P("", "ext", "rrpc", "*", pk, dn, "...");
	/* The platform's /ext/ topics by name (a wildcard level here would let a device whose name equals another
	 * product key reach topics of that product's devices). */
	P("", "ext", "ntp", pk, dn, "...");
	P("", "ext", "error", pk, dn, "...");
	P("", "ext", "session", pk, dn, "...");
	if(access == MOSQ_ACL_SUBSCRIBE || access == MOSQ_ACL_READ || access == MOSQ_ACL_UNSUBSCRIBE){
		P("", "broadcast", pk, "...");
	}
#undef P
	return false;
}

static bool payload_names(const void *payload, uint32_t len, const char *key, const char *value)
{
	char needle[600];
	int n = snprintf(needle, sizeof(needle), "\"%s\":\"%s\"", key, value);
	if(n <= 0 || n >= (int)sizeof(needle) || !payload) return false;
	return memmem(payload, len, needle, (size_t)n) != NULL;
}

static int on_acl_check(int event, void *event_data, void *userdata)
{
	(void)event; (void)userdata;
	struct mosquitto_evt_acl_check *ed = event_data;
	const char *username = mosquitto_client_username(ed->client);
	if(is_cloud(username)) return MOSQ_ERR_SUCCESS;

	char user[512];
	const char *dn = NULL, *pk = NULL;
	if(!split_username(username, user, sizeof(user), &dn, &pk)) return MOSQ_ERR_ACL_DENIED;

	struct client_ident ci;
	parse_client_ident(mosquitto_client_id(ed->client), &ci);
	if(ci.ok && ci.auth_type && (strcmp(ci.auth_type, "register") == 0 || strcmp(ci.auth_type, "regnwl") == 0)){
		if(ed->access == MOSQ_ACL_WRITE || !ed->topic) return MOSQ_ERR_ACL_DENIED;
		if(strcmp(ed->topic, "/ext/register") != 0 && strcmp(ed->topic, "/ext/regnwl") != 0) return MOSQ_ERR_ACL_DENIED;
		if(ed->access == MOSQ_ACL_READ
				&& !(payload_names(ed->payload, ed->payloadlen, "deviceName", dn) && payload_names(ed->payload, ed->payloadlen, "productKey", pk))){
			return MOSQ_ERR_ACL_DENIED;
		}
		return MOSQ_ERR_SUCCESS;
	}

	struct levels l;
	if(!split_levels(ed->topic, &l)) return MOSQ_ERR_ACL_DENIED;
	if(device_may_access(pk, dn, &l, ed->access)){
		const char *refusal = platform_refuses(&l, ed->access, ed->qos, ed->payloadlen);
		if(!refusal) return MOSQ_ERR_SUCCESS;
		mosquitto_log_printf(MOSQ_LOG_NOTICE, "aliyun_auth: denied %s %s to %s&%s: %s",
				ed->access == MOSQ_ACL_WRITE ? "publish" : "subscribe", ed->topic, dn, pk, refusal);
		return MOSQ_ERR_ACL_DENIED;
	}
	if(ed->access != MOSQ_ACL_READ){
		mosquitto_log_printf(MOSQ_LOG_NOTICE, "aliyun_auth: denied %s %s to %s&%s",
				ed->access == MOSQ_ACL_WRITE ? "publish" : "subscribe", ed->topic, dn, pk);
	}
	return MOSQ_ERR_ACL_DENIED;
}

/*
 * Presence for the local cloud: a retained message on $aliyuniot/presence/{pk}/{dn} ("online" / "offline <why>"),
 * published when a device identity's connection is authorised and when that connection (not an older one it
 * replaced) ends. Only the privileged cloud identity can subscribe to it (devices are confined to their own
 * topics). Retained so that a cloud connecting after its devices still learns who is online. The platform answers an RRPC to an offline
 * device at once with RrpcCode OFFLINE (RRpc API, https://help.aliyun.com/document_detail/69797.htm).
 * With persistence on (the local cloud keeps the broker's state across restarts) the retained presence of the
 * last run would come back: clear_presence() empties it for every known device at start (nobody is connected
 * yet); a cloud already subscribed through its persistent session receives the empty message as "offline".
 */
static void publish_presence_text(const char *pk, const char *dn, const char *state)
{
	char topic[600];
	int n = snprintf(topic, sizeof(topic), "$aliyuniot/presence/%s/%s", pk, dn);
	if(n <= 0 || n >= (int)sizeof(topic)) return;
	mosquitto_broker_publish_copy(NULL, topic, (int)strlen(state), state, 1, true, NULL);
}

/* "online", or "offline" followed by why the connection ended (see disconnect_reason). */
static void publish_presence(const char *pk, const char *dn, bool online)
{
	publish_presence_text(pk, dn, online ? "online" : "offline");
}

static void clear_presence_in(struct entry **table)
{
	for(int i = 0; i < BUCKETS; i++){
		for(struct entry *e = table[i]; e; e = e->next){
			char topic[600];
			int n = snprintf(topic, sizeof(topic), "$aliyuniot/presence/%s/%s", e->pk, e->dn);
			if(e->dn && n > 0 && n < (int)sizeof(topic)){
				mosquitto_broker_publish_copy(NULL, topic, 0, "", 1, true, NULL);
			}
		}
	}
}

static void clear_presence(void)
{
	clear_presence_in(g_devices);
	clear_presence_in(g_tokens);
}

/*
 * The platform's limits and topic directions, kept apart from the ACL above (which says whose topics a device may
 * use at all). Sources: aliyun-protocol.md sections 1.7, 3.7-3.8 and 5.2-5.3, from the platform's pages
 * "Establish MQTT connections" (keep-alive 30-1200 s, clientId at most 64 characters), "Limits" (payload 256 KB,
 * QoS 0 and 1 only), "Topics" (https://www.alibabacloud.com/help/doc-detail/73731.html: every topic category
 * has one operation permission for devices, publish or subscribe; the system topics' are fixed) and RRPC
 * ("reply ... with QoS 0"). A refused CONNECT gets CONNACK "not authorised" here: a mosquitto auth plugin cannot
 * choose another code (the platform answers 3 for a keep-alive out of range, 2 for a bad client identifier).
 */
#define PLATFORM_MIN_KEEPALIVE 30
#define PLATFORM_MAX_KEEPALIVE 1200
#define PLATFORM_MAX_CLIENT_ID 64
#define PLATFORM_MAX_PAYLOAD (256u * 1024u)

enum direction { EITHER = 0, UPLINK = 1, DOWNLINK = 2 };

static bool ends_with(const char *text, const char *suffix)
{
	size_t n = strlen(text), m = strlen(suffix);
	return n >= m && strcmp(text + n - m, suffix) == 0;
}

static bool has_wildcard(const char *level)
{
	return strchr(level, '+') != NULL || strchr(level, '#') != NULL;
}

/* Direction of a system topic (levels after /sys/{pk}/{dn}, from index 'from'); EITHER when not a known class. */
static enum direction sys_direction(const struct levels *l, int from)
{
	int count = l->n - from;
	if(count < 2) return EITHER;
	const char *a = l->lv[from], *b = l->lv[from + 1], *last = l->lv[l->n - 1];
	if(strcmp(a, "rrpc") == 0){
		if(strcmp(b, "request") == 0) return DOWNLINK;
		if(strcmp(b, "response") == 0) return UPLINK;
		return EITHER;
	}
	if(has_wildcard(last) || has_wildcard(b)) return EITHER;
	if(strcmp(a, "thing") != 0) return EITHER;
	if(strcmp(b, "service") == 0) return ends_with(last, "_reply") ? UPLINK : DOWNLINK;
	if(strcmp(b, "model") == 0 && count == 3){
		if(strcmp(last, "up_raw") == 0 || strcmp(last, "down_raw_reply") == 0) return UPLINK;
		if(strcmp(last, "down_raw") == 0 || strcmp(last, "up_raw_reply") == 0) return DOWNLINK;
		return EITHER;
	}
	if(count < 3) return EITHER; /* thing/enable, thing/disable, thing/delete...: not classified here */
	if(strcmp(last, "push") == 0) return DOWNLINK;
	if(strcmp(last, "push_reply") == 0) return UPLINK;
	if(ends_with(last, "_reply")) return DOWNLINK;
	if(strcmp(last, "post") == 0 || strcmp(last, "update") == 0 || strcmp(last, "get") == 0 || strcmp(last, "delete") == 0) return UPLINK;
	return EITHER;
}

static enum direction topic_direction(const struct levels *l)
{
	if(l->n >= 6 && strcmp(l->lv[1], "sys") == 0) return sys_direction(l, 4);
	if(l->n == 6 && strcmp(l->lv[1], "ota") == 0 && strcmp(l->lv[2], "device") == 0){
		if(strcmp(l->lv[3], "upgrade") == 0) return DOWNLINK;
		if(strcmp(l->lv[3], "inform") == 0 || strcmp(l->lv[3], "progress") == 0 || strcmp(l->lv[3], "request") == 0) return UPLINK;
	}
	if(l->n == 5 && strcmp(l->lv[1], "shadow") == 0){
		if(strcmp(l->lv[2], "update") == 0) return UPLINK;
		if(strcmp(l->lv[2], "get") == 0) return DOWNLINK;
	}
	if(l->n == 6 && strcmp(l->lv[1], "ext") == 0 && strcmp(l->lv[2], "ntp") == 0){
		if(strcmp(l->lv[5], "request") == 0) return UPLINK;
		if(strcmp(l->lv[5], "response") == 0) return DOWNLINK;
	}
	return EITHER;
}

/* What the platform refuses of a publish or subscribe the ACL otherwise allows a device (NULL: nothing). */
static const char *platform_refuses(const struct levels *l, int access, int qos, uint32_t payloadlen)
{
	enum direction direction = topic_direction(l);
	if(access == MOSQ_ACL_SUBSCRIBE){
		return direction == UPLINK ? "a device may not subscribe to an uplink topic" : NULL;
	}
	if(access != MOSQ_ACL_WRITE) return NULL;
	if(direction == DOWNLINK) return "a device may not publish on a downlink topic";
	if(payloadlen > PLATFORM_MAX_PAYLOAD) return "payload over 256 KB";
	if(qos > 1) return "QoS 2 is not supported";
	bool sys_rrpc = l->n == 7 && strcmp(l->lv[1], "sys") == 0 && strcmp(l->lv[4], "rrpc") == 0 && strcmp(l->lv[5], "response") == 0;
	bool ext_rrpc = l->n > 4 && strcmp(l->lv[1], "ext") == 0 && strcmp(l->lv[2], "rrpc") == 0;
	if((sys_rrpc || ext_rrpc) && qos != 0) return "RRPC responses are taken at QoS 0 only";
	return NULL;
}

/* What the platform refuses of a device's CONNECT (NULL: nothing). */
static const char *platform_refuses_connect(struct mosquitto *client, const char *client_id, bool registration)
{
	/* "During dynamic registration, IoT Platform does not verify the keep-alive time" (MQTT-based dynamic
	 * registration, https://www.alibabacloud.com/help/doc-detail/132111.htm). */
	int keepalive = mosquitto_client_keepalive(client);
	if(!registration && (keepalive < PLATFORM_MIN_KEEPALIVE || keepalive > PLATFORM_MAX_KEEPALIVE)) return "keep-alive outside 30-1200 s";
	if(client_id && strlen(client_id) > PLATFORM_MAX_CLIENT_ID) return "clientId longer than 64 characters";
	return NULL;
}

/*
 * The ClientIdentifier's securemode against the listener the client came in on (NULL: accepted). Sources:
 * "Establish MQTT connections" (https://www.alibabacloud.com/help/en/iot-platform/latest/establish-mqtt-connections-over-tcp,
 * doc-detail/73742): "securemode: ... Valid values: 2 (direct TLS connection) and 3 (direct TCP connection)", and for
 * the ClientID + DeviceToken login "{clientId}|securemode=-2,authType=connwl|"; "MQTT-based dynamic registration"
 * (https://www.alibabacloud.com/help/doc-detail/132111.htm): "Dynamic registration supports only TLS connections",
 * securemode=-2 on new public and Enterprise instances, 2 on legacy public ones. The other values of the old SDKs
 * (-1, 0, 1, 4, 5, 7, 8: HTTPS "guider" and ID2 modes, aliyun-protocol.md section 1.4) are not taken here.
 * Neither page says which CONNACK code a mismatch gets. Our choice: the refusal is a CONNACK 5 "not authorised"
 * (MQTT 5: 0x87), the only refusal code a mosquitto 2.0 auth plugin can give (src/handle_connect.c maps
 * MOSQ_ERR_AUTH to it; any other return closes the connection without a CONNACK); MQTT's own code for a bad
 * ClientIdentifier would be 2 "identifier rejected", which field reports say the platform answers.
 */
static const char *securemode_refusal(const struct client_ident *ci, bool registration, bool tls, char *buf, size_t buflen)
{
	const char *listener = tls ? "the TLS listener" : "the plain TCP listener";
	const char *mode = ci->securemode;
	if(!mode || mode[0] == '\0'){
		snprintf(buf, buflen, "no securemode in the ClientIdentifier (2 for TLS, 3 for plain TCP)");
		return buf;
	}
	if(registration){
		if(!tls){
			snprintf(buf, buflen, "dynamic registration on %s (the platform takes it over TLS only)", listener);
			return buf;
		}
		if(strcmp(mode, "2") == 0 || strcmp(mode, "-2") == 0) return NULL;
		snprintf(buf, buflen, "securemode=%.12s for dynamic registration (2 or -2 over TLS)", mode);
		return buf;
	}
	if(ci->auth_type && strcmp(ci->auth_type, "connwl") == 0){
		if(strcmp(mode, "-2") == 0) return NULL;
		snprintf(buf, buflen, "securemode=%.12s for a deviceToken login (authType=connwl takes -2)", mode);
		return buf;
	}
	const char *expected = tls ? "2" : "3";
	if(strcmp(mode, expected) == 0) return NULL;
	snprintf(buf, buflen, "securemode=%.12s on %s (it takes securemode=%s)", mode, listener, expected);
	return buf;
}

/*
 * MQTT 3.1.1 on the platform has no retained messages ("MQTT 3.1.1: no Will, no Retained messages",
 * aliyun-protocol.md section 5.3): a device's retain flag is cleared, so the message is delivered and not kept.
 * MQTT 5 clients keep it (the platform supports retained messages there).
 */
static int on_message(int event, void *event_data, void *userdata)
{
	(void)event; (void)userdata;
	struct mosquitto_evt_message *ed = event_data;
	if(ed->retain && ed->client && !is_cloud(mosquitto_client_username(ed->client))
			&& mosquitto_client_protocol_version(ed->client) != 5){
		ed->retain = false;
	}
	return MOSQ_ERR_SUCCESS;
}

int mosquitto_plugin_version(int supported_version_count, const int *supported_versions)
{
	for(int i = 0; i < supported_version_count; i++){
		if(supported_versions[i] == 5) return 5;
	}
	return -1;
}

int mosquitto_plugin_init(mosquitto_plugin_id_t *identifier, void **user_data, struct mosquitto_opt *opts, int opt_count)
{
	const char *path = NULL, *transport = NULL;
	for(int i = 0; i < opt_count; i++){
		if(strcmp(opts[i].key, "credentials") == 0) path = opts[i].value;
		else if(strcmp(opts[i].key, "transport") == 0) transport = opts[i].value;
	}
	if(!path){
		mosquitto_log_printf(MOSQ_LOG_ERR, "aliyun_auth: plugin_opt_credentials is required");
		return MOSQ_ERR_INVAL;
	}
	if(!transport || (strcmp(transport, "tls") != 0 && strcmp(transport, "tcp") != 0)){
		mosquitto_log_printf(MOSQ_LOG_ERR, "aliyun_auth: plugin_opt_transport tls|tcp is required (per_listener_settings true, one load per listener)");
		return MOSQ_ERR_INVAL;
	}
	if(g_path && strcmp(g_path, path) != 0){
		mosquitto_log_printf(MOSQ_LOG_ERR, "aliyun_auth: every listener must name the same credentials file");
		return MOSQ_ERR_INVAL;
	}
	struct instance *self = calloc(1, sizeof(*self));
	if(!self) return MOSQ_ERR_NOMEM;
	self->id = identifier;
	self->tls = strcmp(transport, "tls") == 0;
	if(g_instances == 0){
		free(g_path);
		g_path = strdup(path);
		reload_if_changed();
		if(!g_loaded){
			free(self);
			return MOSQ_ERR_INVAL;
		}
		clear_presence();
	}
	g_instances++;
	*user_data = self;
	int rc = mosquitto_callback_register(self->id, MOSQ_EVT_BASIC_AUTH, on_basic_auth, NULL, self);
	if(rc) return rc;
	rc = mosquitto_callback_register(self->id, MOSQ_EVT_DISCONNECT, on_disconnect, NULL, self);
	if(rc) return rc;
	rc = mosquitto_callback_register(self->id, MOSQ_EVT_MESSAGE, on_message, NULL, self);
	if(rc) return rc;
	return mosquitto_callback_register(self->id, MOSQ_EVT_ACL_CHECK, on_acl_check, NULL, self);
}

int mosquitto_plugin_cleanup(void *user_data, struct mosquitto_opt *opts, int opt_count)
{
	(void)opts; (void)opt_count;
	struct instance *self = user_data;
	if(!self) return MOSQ_ERR_SUCCESS;
	mosquitto_callback_unregister(self->id, MOSQ_EVT_BASIC_AUTH, on_basic_auth, NULL);
	mosquitto_callback_unregister(self->id, MOSQ_EVT_ACL_CHECK, on_acl_check, NULL);
	mosquitto_callback_unregister(self->id, MOSQ_EVT_DISCONNECT, on_disconnect, NULL);
	mosquitto_callback_unregister(self->id, MOSQ_EVT_MESSAGE, on_message, NULL);
	free(self);
	if(--g_instances > 0){
		return MOSQ_ERR_SUCCESS; /* the other listener's instance still uses the shared state */
	}
	free_table(g_devices);
	free_table(g_live);
	free_table(g_products);
	free_table(g_tokens);
	free_table(g_issued);
	free(g_cloud_user); g_cloud_user = NULL;
	free(g_cloud_pass); g_cloud_pass = NULL;
	free(g_path); g_path = NULL;
	g_loaded = false;
	return MOSQ_ERR_SUCCESS;
}
