//! The settings of one catalog: the catalog file's properties (`etc/catalog/<catalog>.properties`),
//! as the Java plugin hands them over in `NativeCatalog.open`'s document ([`CatalogOpen`]), parsed
//! by [`CatalogConfig::from_properties`].

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::storage::store;
use crate::zk::membership::NodeInfo;
use crate::{err, units, Result};

/// `NativeCatalog.open`'s document: the catalog file as given; [`CatalogOpen::into_config`] parses
/// it.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogOpen {
    /// The Presto catalog name.
    pub catalog: String,
    /// The catalog file's properties, unparsed. Holds secrets: never shown by `Debug`.
    pub properties: BTreeMap<String, String>,
    /// This Presto node, registered under `<root>/nodes` while the catalog is open.
    #[serde(default)]
    pub node: Option<NodeInfo>,
}

/// The property names only: their values may be secrets.
impl std::fmt::Debug for CatalogOpen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CatalogOpen")
            .field("catalog", &self.catalog)
            .field("properties", &self.properties.keys().collect::<Vec<_>>())
            .field("node", &self.node)
            .finish()
    }
}

impl CatalogOpen {
    pub fn from_json(json: &str) -> Result<Self> {
        serde_json::from_str(json)
            .map_err(|e| err!(InvalidConfig, "invalid catalog open document: {e}"))
    }

    /// The catalog config its properties describe (see [`CatalogConfig::from_properties`]).
    pub fn into_config(self) -> Result<CatalogConfig> {
        CatalogConfig::from_properties(&self.catalog, &self.properties, self.node)
    }
}

/// The parsed settings of one catalog. It (de)serializes too (the protocol's golden test): members at
/// their defaults that the document leaves out stay out.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogConfig {
    /// The Presto catalog name (used in messages only).
    #[serde(default)]
    pub catalog: String,
    /// ZooKeeper connect string, `host:port[,host:port...][/chroot]`.
    pub connect: String,
    /// Root znode of this catalog, e.g. `/zkarrow/sales`.
    pub root: String,
    #[serde(default = "default_session_timeout_ms")]
    pub session_timeout_ms: u64,
    #[serde(default = "default_connect_timeout_ms")]
    pub connect_timeout_ms: u64,
    /// Directory where zkarrow keeps table data and snapshot manifests.
    pub warehouse: PathBuf,
    /// Defaults of the dynamic settings (see `settings::KEYS`), from the catalog file.
    #[serde(default)]
    pub settings: BTreeMap<String, String>,
    /// This Presto node, registered under `<root>/nodes` while the catalog is open.
    #[serde(default)]
    pub node: Option<NodeInfo>,
    /// Absolute roots that bound every path a user names (table locations, registered files);
    /// empty means the warehouse alone (`zkarrow.allowed-locations`).
    #[serde(default)]
    pub allowed_locations: Vec<PathBuf>,
    /// The smallest age a file must have before orphan removal may delete it
    /// (`zkarrow.gc-min-grace`).
    #[serde(default = "default_gc_min_grace_ms")]
    pub gc_min_grace_ms: u64,
    /// `scheme:credential` added to every session, e.g. `digest:alice:secret`
    /// (`zkarrow.zookeeper.auth`). Secret: never shown.
    #[serde(default)]
    pub zookeeper_auth: Option<Secret>,
    /// The ACL of every znode zkarrow creates (`zkarrow.zookeeper.acl`): `creator-all-world-read`,
    /// `creator-all`, `open`, or a list in zkCli's `setAcl` syntax (`world:anyone:r,auth::cdrwa`).
    /// Unset: `creator-all-world-read` when the session authenticates, else `open`.
    #[serde(default)]
    pub zookeeper_acl: Option<String>,
    /// SASL mechanism (`zkarrow.zookeeper.sasl.mechanism`): only `DIGEST-MD5` in this build;
    /// defaults to it when a SASL user name is set.
    #[serde(default)]
    pub zookeeper_sasl_mechanism: Option<String>,
    /// SASL user name (`zkarrow.zookeeper.sasl.username`).
    #[serde(default)]
    pub zookeeper_sasl_username: Option<String>,
    /// SASL password (`zkarrow.zookeeper.sasl.password`). Secret: never shown.
    #[serde(default)]
    pub zookeeper_sasl_password: Option<Secret>,
    /// Connect with TLS (`zkarrow.zookeeper.tls.enabled`): the servers' secureClientPort.
    #[serde(default, skip_serializing_if = "is_false")]
    pub zookeeper_tls_enabled: bool,
    /// PEM file of the CA certificates that sign the servers' certificates
    /// (`zkarrow.zookeeper.tls.trust-store`).
    #[serde(default)]
    pub zookeeper_tls_trust_store: Option<PathBuf>,
    /// PEM file holding this client's certificate chain and its unencrypted private key
    /// (`zkarrow.zookeeper.tls.key-store`), for servers that authenticate clients.
    #[serde(default)]
    pub zookeeper_tls_key_store: Option<PathBuf>,
    /// Check that a server's certificate names the host it was reached at
    /// (`zkarrow.zookeeper.tls.hostname-verification`).
    #[serde(default = "default_true", skip_serializing_if = "is_true")]
    pub zookeeper_tls_hostname_verification: bool,
    /// How `s3://` locations are reached (`zkarrow.s3.*`).
    #[serde(default, skip_serializing_if = "S3Config::is_default")]
    pub s3: S3Config,
}

/// The `zkarrow.s3.*` properties: how object storage is reached. Keys are secrets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct S3Config {
    /// `http(s)://host:port` of an S3-compatible server (`zkarrow.s3.endpoint`); none: AWS.
    #[serde(default)]
    pub endpoint: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    /// Path-style requests (`zkarrow.s3.path-style-access`), as MinIO, Ceph and most
    /// S3-compatible servers want.
    #[serde(default)]
    pub path_style_access: bool,
    #[serde(default)]
    pub access_key: Option<Secret>,
    #[serde(default)]
    pub secret_key: Option<Secret>,
    /// PEM file of CA certificates trusted besides the system's (`zkarrow.s3.ca-file`).
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// Time a request may take before it is retried, then fails (`zkarrow.s3.request-timeout`).
    #[serde(default = "default_s3_request_timeout_ms")]
    pub request_timeout_ms: u64,
    /// Retries of a failed request before the statement fails (`zkarrow.s3.max-retries`).
    #[serde(default = "default_s3_max_retries")]
    pub max_retries: usize,
}

impl Default for S3Config {
    /// What an unset `zkarrow.s3.*` means (the same as the serde defaults).
    fn default() -> Self {
        S3Config {
            endpoint: None,
            region: None,
            path_style_access: false,
            access_key: None,
            secret_key: None,
            ca_file: None,
            request_timeout_ms: default_s3_request_timeout_ms(),
            max_retries: default_s3_max_retries(),
        }
    }
}

fn default_s3_request_timeout_ms() -> u64 {
    30_000
}

fn default_s3_max_retries() -> usize {
    3
}

impl S3Config {
    fn is_default(&self) -> bool {
        *self == S3Config::default()
    }

    /// What the storage layer needs to reach object storage.
    #[cfg(feature = "object-store")]
    pub fn settings(&self) -> crate::storage::object::S3Settings {
        crate::storage::object::S3Settings {
            endpoint: self.endpoint.clone(),
            region: self.region.clone(),
            path_style: self.path_style_access,
            access_key: self.access_key.as_ref().map(|k| k.expose().to_string()),
            secret_key: self.secret_key.as_ref().map(|k| k.expose().to_string()),
            session_token: None,
            ca_file: self
                .ca_file
                .as_ref()
                .map(|p| p.to_string_lossy().into_owned()),
            request_timeout: Duration::from_millis(self.request_timeout_ms),
            max_retries: self.max_retries,
        }
    }
}

/// A secret setting (password, credential): its `Debug` never shows it; it serializes as itself
/// (the configuration document that carries it to the native library).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself: only to hand it to ZooKeeper, never to format it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("\"<redacted>\"")
    }
}

/// One entry of an ACL: who (`scheme`, `id`) may do what (`perms`, letters of `cdrwa`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AclEntry {
    pub scheme: String,
    pub id: String,
    /// Bits as ZooKeeper numbers them: READ 1, WRITE 2, CREATE 4, DELETE 8, ADMIN 16.
    pub perms: i32,
}

/// The SASL mechanisms this build supports.
pub const SASL_MECHANISMS: &[&str] = &["DIGEST-MD5"];

fn default_true() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn default_gc_min_grace_ms() -> u64 {
    3_600_000
}

fn default_session_timeout_ms() -> u64 {
    30_000
}

fn default_connect_timeout_ms() -> u64 {
    10_000
}

const CONNECT: &str = "zkarrow.zookeeper.connect";
const ROOT: &str = "zkarrow.zookeeper.root";
const SESSION_TIMEOUT: &str = "zkarrow.zookeeper.session-timeout";
const CONNECT_TIMEOUT: &str = "zkarrow.zookeeper.connect-timeout";
const WAREHOUSE: &str = "zkarrow.warehouse";
const ALLOWED_LOCATIONS: &str = "zkarrow.allowed-locations";
const GC_MIN_GRACE: &str = "zkarrow.gc-min-grace";
const AUTH: &str = "zkarrow.zookeeper.auth";
const ACL: &str = "zkarrow.zookeeper.acl";
const SASL_MECHANISM: &str = "zkarrow.zookeeper.sasl.mechanism";
const SASL_USERNAME: &str = "zkarrow.zookeeper.sasl.username";
const SASL_PASSWORD: &str = "zkarrow.zookeeper.sasl.password";
const TLS_ENABLED: &str = "zkarrow.zookeeper.tls.enabled";
const TLS_TRUST_STORE: &str = "zkarrow.zookeeper.tls.trust-store";
const TLS_KEY_STORE: &str = "zkarrow.zookeeper.tls.key-store";
const TLS_HOSTNAME_VERIFICATION: &str = "zkarrow.zookeeper.tls.hostname-verification";
const S3_ENDPOINT: &str = "zkarrow.s3.endpoint";
const S3_REGION: &str = "zkarrow.s3.region";
const S3_PATH_STYLE: &str = "zkarrow.s3.path-style-access";
const S3_ACCESS_KEY: &str = "zkarrow.s3.aws-access-key";
const S3_SECRET_KEY: &str = "zkarrow.s3.aws-secret-key";
const S3_CA_FILE: &str = "zkarrow.s3.ca-file";
const S3_REQUEST_TIMEOUT: &str = "zkarrow.s3.request-timeout";
const S3_MAX_RETRIES: &str = "zkarrow.s3.max-retries";

/// The catalog file's properties (besides the dynamic settings' defaults, [`SETTING_PROPERTIES`])
/// and their descriptions, in the order the "Unknown property" message lists them.
pub const PROPERTIES: &[(&str, &str)] = &[
    (CONNECT, "ZooKeeper connect string, host:port[,host:port...][/chroot] (required)"),
    (ROOT, "znode under which the catalog lives (default /zkarrow/<catalog name>)"),
    (SESSION_TIMEOUT, "ZooKeeper session timeout, a duration such as 30s (default 30s)"),
    (CONNECT_TIMEOUT, "time to wait for a ZooKeeper connection, a duration such as 10s (default 10s)"),
    (WAREHOUSE, "where the tables' data lives: an absolute directory path every node reads, or s3://bucket/prefix (required)"),
    (ALLOWED_LOCATIONS, "comma-separated absolute directory paths or s3://bucket/prefix roots under which table locations and registered files must lie (default: the warehouse alone)"),
    (GC_MIN_GRACE, "smallest age of a file that orphan removal may delete, a duration such as 1h (default 1h)"),
    (AUTH, "ZooKeeper credentials as scheme:credential, such as digest:user:password (default none)"),
    (ACL, "ACL of every znode zkarrow creates: creator-all-world-read, creator-all, open, or scheme:id:perms entries such as auth::cdrwa,world:anyone:r (default creator-all-world-read with credentials, else open)"),
    (SASL_MECHANISM, "SASL mechanism for ZooKeeper: DIGEST-MD5 (default when a SASL user name is set)"),
    (SASL_USERNAME, "SASL user name for ZooKeeper (default none: no SASL)"),
    (SASL_PASSWORD, "SASL password for ZooKeeper"),
    (TLS_ENABLED, "connect to ZooKeeper with TLS (its secureClientPort), true or false (default false)"),
    (TLS_TRUST_STORE, "absolute path of a PEM file of the CA certificates that sign the ZooKeeper servers' certificates (required with TLS; JKS/PKCS12 stores are not read: keytool -exportcert -rfc converts them)"),
    (TLS_KEY_STORE, "absolute path of a PEM file with this client's certificate chain and unencrypted private key, for servers that authenticate clients (optional; not JKS/PKCS12: openssl pkcs12 -nodes converts them)"),
    (TLS_HOSTNAME_VERIFICATION, "check that a ZooKeeper server's certificate names its host, true or false (default true)"),
    (S3_ENDPOINT, "http(s)://host:port of an S3-compatible server for s3:// locations (default: AWS S3 of the region)"),
    (S3_REGION, "S3 region (default: AWS_REGION from the environment, else us-east-1)"),
    (S3_PATH_STYLE, "path-style S3 requests (endpoint/bucket/key), as MinIO and Ceph want, true or false (default false)"),
    (S3_ACCESS_KEY, "S3 access key id (default: the environment, web identity or the instance profile)"),
    (S3_SECRET_KEY, "S3 secret access key, with the access key"),
    (S3_CA_FILE, "absolute path of a PEM file of CA certificates trusted for the S3 endpoint besides the system's"),
    (S3_REQUEST_TIMEOUT, "time an S3 request may take, a duration such as 30s (default 30s)"),
    (S3_MAX_RETRIES, "retries of a failed S3 request before the statement fails (default 3)"),
];

/// The dynamic settings whose defaults the catalog file may set (`zkarrow.<key with dashes>`,
/// into [`CatalogConfig::settings`]), and their descriptions. `<root>/config` and
/// `CALL system.set_config` override them at run time; `settings::Settings` validates the values.
pub const SETTING_PROPERTIES: &[(&str, &str)] = &[
    (
        "split_target_size",
        "default bytes of Arrow data per split, a size such as 64MB",
    ),
    (
        "lock_wait_timeout",
        "default time a commit waits for a table lock, a duration such as 60s",
    ),
    (
        "metadata_cache_ttl",
        "default time a node may cache a table record, a duration such as 5m (0s disables)",
    ),
    ("read_only", "default of read-only mode, true or false"),
    (
        "default_compression",
        "default compression of new tables: none, lz4 or zstd",
    ),
    (
        "write_batch_rows",
        "default rows of a written record batch, at most (pages are coalesced up to it), e.g. 65536",
    ),
    (
        "write_batch_size",
        "default bytes of Arrow data of a written record batch, about (pages are coalesced up to it), e.g. 1MB",
    ),
];

/// The catalog property of a dynamic setting: `split_target_size` is `zkarrow.split-target-size`.
fn setting_property(key: &str) -> String {
    format!("zkarrow.{}", key.replace('_', "-"))
}

/// Every catalog property and its description, in order.
fn known_properties() -> Vec<(String, String)> {
    let fixed = PROPERTIES
        .iter()
        .map(|(name, description)| (name.to_string(), description.to_string()));
    let settings = SETTING_PROPERTIES.iter().map(|(key, description)| {
        (
            setting_property(key),
            format!("{description} (dynamic: CALL system.set_config('{key}', ...) overrides it)"),
        )
    });
    fixed.chain(settings).collect()
}

/// One catalog's properties while they are parsed: every error names the property and the catalog.
struct Properties<'a> {
    catalog: &'a str,
    map: &'a BTreeMap<String, String>,
}

impl Properties<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        self.map.get(name).map(String::as_str)
    }

    fn invalid(&self, name: &str, value: &str, advice: &str) -> crate::Error {
        err!(
            InvalidConfig,
            "Invalid {name} '{value}' in catalog {}: {advice}",
            self.catalog
        )
    }

    /// The trimmed value of a required property.
    fn required(&self, name: &str) -> Result<String> {
        match self.get(name).map(str::trim) {
            Some(value) if !value.is_empty() => Ok(value.to_string()),
            _ => {
                let description = PROPERTIES
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map_or("", |(_, d)| *d);
                Err(err!(
                    InvalidConfig,
                    "Missing required catalog property {name} in catalog {}: set it to the {description}",
                    self.catalog
                ))
            }
        }
    }

    /// A duration in whole milliseconds, at least 1ms and below 24 days (2^31 ms).
    fn duration_ms(&self, name: &str, default: &str) -> Result<u64> {
        let value = self.get(name).unwrap_or(default);
        let millis = units::parse_duration_millis(value).map_err(|_| {
            self.invalid(
                name,
                value,
                "use a duration with a unit, such as 500ms, 30s, 2m",
            )
        })?;
        if !(1.0..=f64::from(i32::MAX)).contains(&millis) {
            return Err(self.invalid(name, value, "it must be at least 1ms and below 24 days"));
        }
        Ok(millis as u64)
    }

    fn bool(&self, name: &str) -> Result<Option<bool>> {
        let Some(value) = self.get(name) else {
            return Ok(None);
        };
        match value.trim().to_ascii_lowercase().as_str() {
            "true" => Ok(Some(true)),
            "false" => Ok(Some(false)),
            _ => Err(self.invalid(name, value, "use true or false")),
        }
    }

    fn pem_path(&self, name: &str) -> Result<Option<PathBuf>> {
        let Some(path) = self.get(name).map(str::trim) else {
            return Ok(None);
        };
        if !is_absolute(path) {
            return Err(self.invalid(name, path, "it must be the absolute path of a PEM file"));
        }
        Ok(Some(PathBuf::from(path)))
    }

    /// The trimmed value, `None` when unset or blank.
    fn trimmed(&self, name: &str) -> Option<String> {
        self.get(name)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    }
}

fn is_absolute(path: &str) -> bool {
    !path.contains('\0') && std::path::Path::new(path).is_absolute()
}

/// A warehouse or allowed root: an absolute path, or an object location written one way
/// ([`store::normalize_object_location`]); the reason when it is neither.
fn location(value: &str) -> std::result::Result<PathBuf, String> {
    if value.starts_with(store::OBJECT_SCHEME) {
        return store::normalize_object_location(value).map(PathBuf::from);
    }
    if is_absolute(value) {
        Ok(PathBuf::from(value))
    } else {
        Err("it is neither an absolute path nor an s3:// location".into())
    }
}

impl CatalogConfig {
    /// Parses the catalog file's `properties` of catalog `catalog`: any unknown, missing required
    /// or invalid property is an INVALID_CONFIG error that names it (secrets are never shown),
    /// then [`CatalogConfig::validate`] checks the whole.
    pub fn from_properties(
        catalog: &str,
        properties: &BTreeMap<String, String>,
        node: Option<NodeInfo>,
    ) -> Result<CatalogConfig> {
        let known = known_properties();
        let unknown: Vec<&str> = properties
            .keys()
            .map(String::as_str)
            .filter(|name| !known.iter().any(|(k, _)| k == name))
            .collect();
        if !unknown.is_empty() {
            let (noun, pronoun) = if unknown.len() == 1 {
                ("property", "it")
            } else {
                ("properties", "them")
            };
            let described: Vec<String> = known
                .iter()
                .map(|(name, description)| format!("{name}: {description}"))
                .collect();
            return Err(err!(
                InvalidConfig,
                "Unknown zkarrow catalog {noun} {} in catalog {catalog}: remove {pronoun}. Known properties: {}",
                unknown.join(", "),
                described.join("; ")
            ));
        }
        let p = Properties {
            catalog,
            map: properties,
        };

        let connect = p.required(CONNECT)?;
        if connect.contains(' ') {
            return Err(p.invalid(
                CONNECT,
                &connect,
                "use host:port[,host:port...] without spaces",
            ));
        }

        let default_root = format!("/zkarrow/{catalog}");
        let root = p.get(ROOT).unwrap_or(&default_root).trim();
        if !root.starts_with('/') || (root.len() > 1 && root.ends_with('/')) || root.contains("//")
        {
            return Err(p.invalid(
                ROOT,
                root,
                &format!("it must be an absolute znode path starting with '/' (such as /zkarrow/{catalog}), without a trailing '/'"),
            ));
        }

        let session_timeout_ms = p.duration_ms(SESSION_TIMEOUT, "30s")?;
        let connect_timeout_ms = p.duration_ms(CONNECT_TIMEOUT, "10s")?;

        let warehouse = p.required(WAREHOUSE)?;
        let warehouse = location(&warehouse).map_err(|why| {
            p.invalid(
                WAREHOUSE,
                &warehouse,
                &format!("{why}: give an absolute directory path such as /var/lib/zkarrow/warehouse, or s3://bucket/prefix"),
            )
        })?;

        let settings = SETTING_PROPERTIES
            .iter()
            .filter_map(|(key, _)| {
                p.get(&setting_property(key))
                    .map(|value| (key.to_string(), value.trim().to_string()))
            })
            .collect();

        let mut allowed_locations = Vec::new();
        if let Some(locations) = p.get(ALLOWED_LOCATIONS) {
            for path in locations
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                let root = location(path).map_err(|why| err!(
                    InvalidConfig,
                    "Invalid {ALLOWED_LOCATIONS} entry '{path}' in catalog {catalog}: {why}; list absolute directory paths or s3://bucket/prefix roots separated by commas, such as /mnt/shared/zkarrow,s3://lake/zkarrow"
                ))?;
                allowed_locations.push(root);
            }
            if allowed_locations.is_empty() {
                return Err(err!(
                    InvalidConfig,
                    "Invalid {ALLOWED_LOCATIONS} in catalog {catalog}: it lists no path; remove it to allow the warehouse alone"
                ));
            }
        }
        let gc_min_grace_ms = match p.get(GC_MIN_GRACE) {
            Some(_) => p.duration_ms(GC_MIN_GRACE, "1h")?,
            None => default_gc_min_grace_ms(),
        };

        let auth = p.get(AUTH);
        if let Some(auth) = auth {
            match auth.find(':') {
                Some(colon) if colon > 0 && colon < auth.len() - 1 => {}
                // never echo the value: it holds a password
                _ => {
                    return Err(err!(
                        InvalidConfig,
                        "Invalid {AUTH} in catalog {catalog}: use scheme:credential, such as digest:user:password (value not shown)"
                    ))
                }
            }
        }
        let tls_enabled = p.bool(TLS_ENABLED)?;
        let hostname_verification = p.bool(TLS_HOSTNAME_VERIFICATION)?;
        let config = CatalogConfig {
            catalog: catalog.to_string(),
            connect,
            root: root.to_string(),
            session_timeout_ms,
            connect_timeout_ms,
            warehouse,
            settings,
            node,
            allowed_locations,
            gc_min_grace_ms,
            zookeeper_auth: auth.map(Secret::new),
            zookeeper_acl: p.trimmed(ACL),
            zookeeper_sasl_mechanism: p.trimmed(SASL_MECHANISM),
            zookeeper_sasl_username: p.trimmed(SASL_USERNAME),
            zookeeper_sasl_password: p.get(SASL_PASSWORD).map(Secret::new),
            zookeeper_tls_enabled: tls_enabled.unwrap_or(false),
            zookeeper_tls_trust_store: p.pem_path(TLS_TRUST_STORE)?,
            zookeeper_tls_key_store: p.pem_path(TLS_KEY_STORE)?,
            zookeeper_tls_hostname_verification: hostname_verification.unwrap_or(true),
            s3: S3Config {
                endpoint: p.trimmed(S3_ENDPOINT),
                region: p.trimmed(S3_REGION),
                path_style_access: p.bool(S3_PATH_STYLE)?.unwrap_or(false),
                access_key: p.trimmed(S3_ACCESS_KEY).map(Secret::new),
                secret_key: p.get(S3_SECRET_KEY).map(|k| Secret::new(k.trim())),
                ca_file: p.pem_path(S3_CA_FILE)?,
                request_timeout_ms: p.duration_ms(S3_REQUEST_TIMEOUT, "30s")?,
                max_retries: match p.get(S3_MAX_RETRIES) {
                    None => default_s3_max_retries(),
                    Some(v) => v
                        .trim()
                        .parse::<usize>()
                        .ok()
                        .filter(|n| *n <= 20)
                        .ok_or_else(|| {
                            p.invalid(S3_MAX_RETRIES, v, "use a whole number from 0 to 20")
                        })?,
                },
            },
        };
        config.validate()?;
        Ok(config)
    }

    pub fn from_json(json: &str) -> Result<Self> {
        let config: CatalogConfig = serde_json::from_str(json)
            .map_err(|e| err!(InvalidConfig, "invalid catalog configuration: {e}"))?;
        config.validate()?;
        Ok(config)
    }

    pub fn validate(&self) -> Result<()> {
        if self.connect.trim().is_empty() {
            return Err(err!(
                InvalidConfig,
                "zkarrow.zookeeper.connect is empty: set it to host:port[,host:port...]"
            ));
        }
        validate_root(&self.root)?;
        if !(1_000..=600_000).contains(&self.session_timeout_ms) {
            return Err(err!(
                InvalidConfig,
                "zkarrow.zookeeper.session-timeout must be between 1s and 10m, got {}ms",
                self.session_timeout_ms
            ));
        }
        if !(100..=600_000).contains(&self.connect_timeout_ms) {
            return Err(err!(
                InvalidConfig,
                "zkarrow.zookeeper.connect-timeout must be between 100ms and 10m, got {}ms",
                self.connect_timeout_ms
            ));
        }
        if let Err(why) = location(&self.warehouse.to_string_lossy()) {
            return Err(err!(
                InvalidConfig,
                "zkarrow.warehouse must be an absolute directory path or s3://bucket/prefix, got '{}': {why}",
                self.warehouse.display()
            ));
        }
        for root in &self.allowed_locations {
            if let Err(why) = location(&root.to_string_lossy()) {
                return Err(err!(
                    InvalidConfig,
                    "zkarrow.allowed-locations must list absolute directory paths or s3://bucket/prefix roots, got '{}': {why}",
                    root.display()
                ));
            }
        }
        self.validate_s3()?;
        self.validate_security()
    }

    fn validate_s3(&self) -> Result<()> {
        let s3 = &self.s3;
        if s3.access_key.is_some() != s3.secret_key.is_some() {
            return Err(err!(
                InvalidConfig,
                "zkarrow.s3.aws-access-key and zkarrow.s3.aws-secret-key go together: set both, or neither to take credentials from the environment or the instance profile"
            ));
        }
        if let Some(endpoint) = &s3.endpoint {
            let scheme_ok = endpoint.starts_with("http://") || endpoint.starts_with("https://");
            if !scheme_ok || endpoint.contains(char::is_whitespace) {
                return Err(err!(
                    InvalidConfig,
                    "Invalid zkarrow.s3.endpoint '{endpoint}': give http(s)://host:port, such as https://s3.example.com or http://127.0.0.1:9000"
                ));
            }
        }
        if !(1..=3_600_000).contains(&s3.request_timeout_ms) {
            return Err(err!(
                InvalidConfig,
                "zkarrow.s3.request-timeout must be between 1ms and 1h, got {}ms",
                s3.request_timeout_ms
            ));
        }
        Ok(())
    }

    fn validate_security(&self) -> Result<()> {
        if let Some(auth) = &self.zookeeper_auth {
            parse_auth(auth)?;
        }
        self.sasl()?;
        let acl = self.zookeeper_acl()?;
        if acl.iter().any(|e| e.scheme == "auth") && !self.authenticates() {
            return Err(err!(
                InvalidConfig,
                "zkarrow.zookeeper.acl gives rights to the creator (scheme 'auth'), but the session has no identity: set zkarrow.zookeeper.auth, zkarrow.zookeeper.sasl.username or a TLS client certificate (zkarrow.zookeeper.tls.key-store), or choose another ACL"
            ));
        }
        let tls_paths = [
            (
                "zkarrow.zookeeper.tls.trust-store",
                &self.zookeeper_tls_trust_store,
            ),
            (
                "zkarrow.zookeeper.tls.key-store",
                &self.zookeeper_tls_key_store,
            ),
        ];
        for (property, path) in tls_paths {
            if let Some(path) = path {
                if !path.is_absolute() {
                    return Err(err!(
                        InvalidConfig,
                        "{property} must be an absolute path of a PEM file, got '{}'",
                        path.display()
                    ));
                }
                if !self.zookeeper_tls_enabled {
                    return Err(err!(
                        InvalidConfig,
                        "{property} is set but zkarrow.zookeeper.tls.enabled is not true: set it to connect with TLS"
                    ));
                }
            }
        }
        if self.zookeeper_tls_enabled && self.zookeeper_tls_trust_store.is_none() {
            return Err(err!(
                InvalidConfig,
                "zkarrow.zookeeper.tls.enabled is true but zkarrow.zookeeper.tls.trust-store is not set: name a PEM file of the CA certificates that sign the ZooKeeper servers' certificates"
            ));
        }
        Ok(())
    }

    /// The digest (or other scheme) credential: `(scheme, credential)`.
    pub fn auth(&self) -> Result<Option<(String, Secret)>> {
        self.zookeeper_auth.as_ref().map(parse_auth).transpose()
    }

    /// SASL settings: `(mechanism, user name, password)`, when SASL is configured.
    pub fn sasl(&self) -> Result<Option<(String, String, Secret)>> {
        let username = self
            .zookeeper_sasl_username
            .as_deref()
            .filter(|u| !u.is_empty());
        let Some(username) = username else {
            if self.zookeeper_sasl_password.is_some() || self.zookeeper_sasl_mechanism.is_some() {
                return Err(err!(
                    InvalidConfig,
                    "zkarrow.zookeeper.sasl.username is not set: SASL needs a user name"
                ));
            }
            return Ok(None);
        };
        let mechanism = self
            .zookeeper_sasl_mechanism
            .as_deref()
            .unwrap_or("DIGEST-MD5")
            .trim()
            .to_ascii_uppercase();
        if !SASL_MECHANISMS.contains(&mechanism.as_str()) {
            return Err(err!(
                InvalidConfig,
                "zkarrow.zookeeper.sasl.mechanism '{mechanism}' is not supported: this build supports {}",
                SASL_MECHANISMS.join(", ")
            ));
        }
        let Some(password) = self.zookeeper_sasl_password.clone() else {
            return Err(err!(
                InvalidConfig,
                "zkarrow.zookeeper.sasl.password is not set: {mechanism} needs the password of SASL user '{username}'"
            ));
        };
        Ok(Some((mechanism, username.to_string(), password)))
    }

    /// Whether the session has an identity ZooKeeper can give rights to.
    pub fn authenticates(&self) -> bool {
        self.zookeeper_auth.is_some()
            || self
                .zookeeper_sasl_username
                .as_deref()
                .is_some_and(|u| !u.is_empty())
            || self.zookeeper_tls_key_store.is_some()
    }

    /// The ACL every znode zkarrow creates gets.
    pub fn zookeeper_acl(&self) -> Result<Vec<AclEntry>> {
        let spec = match self.zookeeper_acl.as_deref().map(str::trim) {
            Some(spec) if !spec.is_empty() => spec,
            _ if self.zookeeper_auth.is_some() || self.sasl()?.is_some() => {
                "creator-all-world-read"
            }
            _ => "open",
        };
        parse_acl(spec)
    }

    /// Whether the catalog reaches object storage: an s3:// warehouse or root, or S3 settings.
    pub fn uses_object_storage(&self) -> bool {
        self.s3 != S3Config::default()
            || std::iter::once(&self.warehouse)
                .chain(&self.allowed_locations)
                .any(|p| store::is_object(p))
    }

    /// The roots user paths must lie under: `allowed_locations`, or the warehouse alone.
    pub fn location_roots(&self) -> Vec<PathBuf> {
        if self.allowed_locations.is_empty() {
            vec![self.warehouse.clone()]
        } else {
            self.allowed_locations.clone()
        }
    }

    pub fn gc_min_grace(&self) -> Duration {
        Duration::from_millis(self.gc_min_grace_ms)
    }

    pub fn session_timeout(&self) -> Duration {
        Duration::from_millis(self.session_timeout_ms)
    }

    pub fn connect_timeout(&self) -> Duration {
        Duration::from_millis(self.connect_timeout_ms)
    }
}

fn parse_auth(auth: &Secret) -> Result<(String, Secret)> {
    // Never echo the value: it holds a password.
    let Some((scheme, credential)) = auth.expose().split_once(':') else {
        return Err(err!(
            InvalidConfig,
            "zkarrow.zookeeper.auth must be scheme:credential, e.g. digest:user:password (value not shown)"
        ));
    };
    let scheme = scheme.trim();
    if scheme.is_empty()
        || credential.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(err!(
            InvalidConfig,
            "zkarrow.zookeeper.auth must be scheme:credential, e.g. digest:user:password (value not shown)"
        ));
    }
    if scheme == "digest" && !credential.contains(':') {
        return Err(err!(
            InvalidConfig,
            "zkarrow.zookeeper.auth with scheme digest must be digest:user:password (value not shown)"
        ));
    }
    Ok((scheme.to_string(), Secret::new(credential)))
}

/// Parses `zkarrow.zookeeper.acl`: a preset or a comma-separated list of `scheme:id:perms`.
pub fn parse_acl(spec: &str) -> Result<Vec<AclEntry>> {
    const ALL: i32 = 31;
    const READ: i32 = 1;
    let entry = |scheme: &str, id: &str, perms: i32| AclEntry {
        scheme: scheme.to_string(),
        id: id.to_string(),
        perms,
    };
    match spec {
        "creator-all-world-read" => {
            return Ok(vec![entry("auth", "", ALL), entry("world", "anyone", READ)])
        }
        "creator-all" => return Ok(vec![entry("auth", "", ALL)]),
        "open" => return Ok(vec![entry("world", "anyone", ALL)]),
        _ => {}
    }
    let bad = |what: &str| {
        err!(
            InvalidConfig,
            "zkarrow.zookeeper.acl: {what}; use creator-all-world-read, creator-all, open, or a comma-separated list of scheme:id:perms such as world:anyone:r,auth::cdrwa (perms are letters of cdrwa)"
        )
    };
    let mut entries = Vec::new();
    for item in spec.split(',').map(str::trim) {
        let (Some((scheme, rest)), Some((_, letters))) =
            (item.split_once(':'), item.rsplit_once(':'))
        else {
            return Err(bad(&format!("'{item}' is not scheme:id:perms")));
        };
        if rest.len() < letters.len() + 1 {
            return Err(bad(&format!("'{item}' is not scheme:id:perms")));
        }
        let id = &rest[..rest.len() - letters.len() - 1];
        let scheme = scheme.trim();
        if scheme.is_empty() {
            return Err(bad(&format!("'{item}' has no scheme")));
        }
        let mut perms = 0;
        for c in letters.trim().chars() {
            perms |= match c.to_ascii_lowercase() {
                'r' => 1,
                'w' => 2,
                'c' => 4,
                'd' => 8,
                'a' => 16,
                _ => return Err(bad(&format!("'{item}' has permission letter '{c}'"))),
            };
        }
        if perms == 0 {
            return Err(bad(&format!("'{item}' grants no permission")));
        }
        if scheme == "world" && id != "anyone" {
            return Err(bad(&format!(
                "'{item}': the world scheme's only id is anyone"
            )));
        }
        entries.push(entry(scheme, id, perms));
    }
    let manageable = entries.iter().any(|e| e.perms & (2 | 4 | 8) == (2 | 4 | 8));
    if !manageable {
        return Err(bad(
            "no entry grants create, write and delete (cdw): zkarrow could not change its own znodes",
        ));
    }
    Ok(entries)
}

fn validate_root(root: &str) -> Result<()> {
    let bad = !root.starts_with('/')
        || root.len() < 2
        || root.ends_with('/')
        || root.contains("//")
        || root.split('/').skip(1).any(|p| p == "." || p == "..");
    if bad {
        return Err(err!(
            InvalidConfig,
            "zkarrow.zookeeper.root must be an absolute znode path such as /zkarrow/sales, got '{root}'"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(root: &str, warehouse: &str) -> String {
        format!(r#"{{"connect":"127.0.0.1:2181","root":"{root}","warehouse":"{warehouse}"}}"#)
    }

    #[test]
    fn accepts_a_valid_config_with_defaults() {
        let c = CatalogConfig::from_json(&json("/zkarrow/x", "/tmp/w")).unwrap();
        assert_eq!(c.session_timeout_ms, 30_000);
        assert_eq!(c.connect_timeout(), Duration::from_secs(10));
    }

    #[test]
    fn refuses_bad_roots_and_relative_warehouses() {
        for root in ["zkarrow", "/", "/a/", "/a//b", "/a/../b"] {
            let e = CatalogConfig::from_json(&json(root, "/tmp/w")).unwrap_err();
            assert!(e.message.contains("zkarrow.zookeeper.root"), "{e}");
        }
        let e = CatalogConfig::from_json(&json("/a", "rel/dir")).unwrap_err();
        assert!(e.message.contains("zkarrow.warehouse"), "{e}");
    }

    fn with(extra: serde_json::Value) -> Result<CatalogConfig> {
        let mut base = serde_json::json!({"connect": "h:1", "root": "/a", "warehouse": "/w"});
        base.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        CatalogConfig::from_json(&base.to_string())
    }

    #[test]
    fn default_acl_depends_on_authentication() {
        let open = with(serde_json::json!({})).unwrap();
        assert_eq!(
            open.zookeeper_acl().unwrap(),
            parse_acl("world:anyone:cdrwa").unwrap()
        );
        let authed = with(serde_json::json!({"zookeeper_auth": "digest:alice:s3cret"})).unwrap();
        assert_eq!(
            authed.zookeeper_acl().unwrap(),
            parse_acl("auth::cdrwa,world:anyone:r").unwrap()
        );
        let (scheme, credential) = authed.auth().unwrap().unwrap();
        assert_eq!(
            (scheme.as_str(), credential.expose()),
            ("digest", "alice:s3cret")
        );
    }

    #[test]
    fn parses_acl_lists_in_zkcli_syntax() {
        let acl = parse_acl("digest:bob:aGFzaA=:cdrwa, ip:10.0.0.0/8:r").unwrap();
        assert_eq!(acl[0].scheme, "digest");
        assert_eq!(acl[0].id, "bob:aGFzaA=");
        assert_eq!(acl[0].perms, 31);
        assert_eq!((acl[1].id.as_str(), acl[1].perms), ("10.0.0.0/8", 1));
        for bad in [
            "world:anyone:r",
            "world:anyone:x",
            "nope",
            "world:someone:cdrwa",
        ] {
            let e = parse_acl(bad).unwrap_err();
            assert!(e.message.contains("zkarrow.zookeeper.acl"), "{e}");
        }
        let e = with(serde_json::json!({"zookeeper_acl": "creator-all"})).unwrap_err();
        assert!(e.message.contains("zkarrow.zookeeper.auth"), "{e}");
    }

    #[test]
    fn secrets_never_show() {
        let c = with(serde_json::json!({
            "zookeeper_auth": "digest:alice:s3cret",
            "zookeeper_sasl_username": "bob",
            "zookeeper_sasl_password": "pa55word"
        }))
        .unwrap();
        let debug = format!("{c:?}");
        assert!(
            !debug.contains("s3cret") && !debug.contains("pa55word"),
            "{debug}"
        );
        for bad in ["digest:nocolon-s3cret", ":s3cret", "digest:"] {
            let e = with(serde_json::json!({ "zookeeper_auth": bad })).unwrap_err();
            assert!(e.message.contains("zkarrow.zookeeper.auth"), "{e}");
            assert!(!e.message.contains("s3cret"), "{e}");
        }
        let e = with(serde_json::json!({"zookeeper_sasl_username": "bob"})).unwrap_err();
        assert!(e.message.contains("zkarrow.zookeeper.sasl.password"), "{e}");
        let e = with(serde_json::json!({"zookeeper_sasl_username": "bob", "zookeeper_sasl_password": "p", "zookeeper_sasl_mechanism": "GSSAPI"})).unwrap_err();
        assert!(
            e.message.contains("zkarrow.zookeeper.sasl.mechanism"),
            "{e}"
        );
    }

    #[test]
    fn tls_needs_a_trust_store() {
        let e = with(serde_json::json!({"zookeeper_tls_enabled": true})).unwrap_err();
        assert!(
            e.message.contains("zkarrow.zookeeper.tls.trust-store"),
            "{e}"
        );
        let e = with(serde_json::json!({"zookeeper_tls_trust_store": "/ca.pem"})).unwrap_err();
        assert!(e.message.contains("zkarrow.zookeeper.tls.enabled"), "{e}");
        let e = with(serde_json::json!({"zookeeper_tls_enabled": true, "zookeeper_tls_trust_store": "ca.pem"})).unwrap_err();
        assert!(e.message.contains("absolute"), "{e}");
        let c = with(serde_json::json!({"zookeeper_tls_enabled": true, "zookeeper_tls_trust_store": "/ca.pem"})).unwrap();
        assert!(c.zookeeper_tls_hostname_verification);
    }

    #[test]
    fn refuses_unknown_fields() {
        let e =
            CatalogConfig::from_json(r#"{"connect":"h:1","root":"/a","warehouse":"/w","bogus":1}"#)
                .unwrap_err();
        assert!(e.message.contains("bogus"), "{e}");
    }

    // from_properties: the rules the Java plugin's ZkArrowConfig had (TestZkArrowConfig's cases)

    fn minimal() -> BTreeMap<String, String> {
        BTreeMap::from([
            (CONNECT.to_string(), "zk1:2181,zk2:2181".to_string()),
            (WAREHOUSE.to_string(), "/data/warehouse".to_string()),
        ])
    }

    fn parse(properties: &BTreeMap<String, String>) -> Result<CatalogConfig> {
        CatalogConfig::from_properties("lake", properties, None)
    }

    fn with_property(name: &str, value: &str) -> BTreeMap<String, String> {
        let mut properties = minimal();
        properties.insert(name.to_string(), value.to_string());
        properties
    }

    fn without(name: &str) -> BTreeMap<String, String> {
        let mut properties = minimal();
        properties.remove(name);
        properties
    }

    #[track_caller]
    fn assert_invalid(properties: BTreeMap<String, String>, message_part: &str) {
        let e = parse(&properties).unwrap_err();
        assert_eq!(e.code, crate::ErrorCode::InvalidConfig, "{e}");
        assert!(e.message.contains(message_part), "{e}");
    }

    #[test]
    fn s3_properties_reach_object_storage_and_keys_never_show() {
        let mut p = with_property(WAREHOUSE, "s3://lake-bucket/warehouse/");
        for (k, v) in [
            (S3_ENDPOINT, "http://127.0.0.1:9000"),
            (S3_PATH_STYLE, "true"),
            (S3_ACCESS_KEY, "AKIAEXAMPLE"),
            (S3_SECRET_KEY, "wJalrXUtnFEMI-s3cret"),
            (S3_REQUEST_TIMEOUT, "5s"),
            (ALLOWED_LOCATIONS, "s3://lake-bucket/warehouse,/mnt/exports"),
        ] {
            p.insert(k.to_string(), v.to_string());
        }
        let c = parse(&p).unwrap();
        assert_eq!(c.warehouse, PathBuf::from("s3://lake-bucket/warehouse"));
        assert!(c.uses_object_storage());
        assert_eq!(c.s3.request_timeout_ms, 5000);
        assert!(c.s3.path_style_access);
        let shown = format!("{c:?} {:?}", c.s3.settings());
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(!parse(&minimal()).unwrap().uses_object_storage());

        assert_invalid(with_property(WAREHOUSE, "s3://UPPER/x"), WAREHOUSE);
        assert_invalid(
            with_property(WAREHOUSE, "s3://lake-bucket/a/../b"),
            WAREHOUSE,
        );
        assert_invalid(
            with_property(ALLOWED_LOCATIONS, "s3://x"),
            ALLOWED_LOCATIONS,
        );
        assert_invalid(with_property(S3_ENDPOINT, "ftp://host"), S3_ENDPOINT);
        assert_invalid(with_property(S3_MAX_RETRIES, "many"), S3_MAX_RETRIES);
        let e = parse(&with_property(S3_SECRET_KEY, "wJalrXUtnFEMI-s3cret")).unwrap_err();
        assert!(e.message.contains(S3_ACCESS_KEY), "{e}");
        assert!(!e.message.contains("s3cret"), "{e}");
    }

    #[test]
    fn properties_defaults() {
        let c = parse(&minimal()).unwrap();
        assert_eq!(c.catalog, "lake");
        assert_eq!(c.connect, "zk1:2181,zk2:2181");
        assert_eq!(c.root, "/zkarrow/lake");
        assert_eq!(c.session_timeout_ms, 30_000);
        assert_eq!(c.connect_timeout_ms, 10_000);
        assert_eq!(c.warehouse, PathBuf::from("/data/warehouse"));
        assert!(c.settings.is_empty() && c.node.is_none());
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            r#"{"catalog":"lake","connect":"zk1:2181,zk2:2181","root":"/zkarrow/lake","session_timeout_ms":30000,"connect_timeout_ms":10000,"warehouse":"/data/warehouse","settings":{},"node":null,"allowed_locations":[],"gc_min_grace_ms":3600000,"zookeeper_auth":null,"zookeeper_acl":null,"zookeeper_sasl_mechanism":null,"zookeeper_sasl_username":null,"zookeeper_sasl_password":null,"zookeeper_tls_trust_store":null,"zookeeper_tls_key_store":null}"#
        );
    }

    #[test]
    fn properties_explicit() {
        let mut properties = minimal();
        properties.insert(ROOT.to_string(), "/teams/a".to_string());
        properties.insert(SESSION_TIMEOUT.to_string(), "1m".to_string());
        properties.insert(CONNECT_TIMEOUT.to_string(), "1500ms".to_string());
        let c = parse(&properties).unwrap();
        assert_eq!(c.root, "/teams/a");
        assert_eq!(c.session_timeout_ms, 60_000);
        assert_eq!(c.connect_timeout_ms, 1_500);
        properties.insert(SESSION_TIMEOUT.to_string(), "2.5s".to_string());
        assert_eq!(parse(&properties).unwrap().session_timeout_ms, 2_500);
    }

    #[test]
    fn properties_dynamic_setting_defaults() {
        let mut properties = minimal();
        for (name, value) in [
            ("zkarrow.split-target-size", "32MB"),
            ("zkarrow.lock-wait-timeout", "45s"),
            ("zkarrow.metadata-cache-ttl", " 5m "),
            ("zkarrow.read-only", "true"),
            ("zkarrow.default-compression", "lz4"),
        ] {
            properties.insert(name.to_string(), value.to_string());
        }
        let c = parse(&properties).unwrap();
        let expected: BTreeMap<String, String> = [
            ("split_target_size", "32MB"),
            ("lock_wait_timeout", "45s"),
            ("metadata_cache_ttl", "5m"),
            ("read_only", "true"),
            ("default_compression", "lz4"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(c.settings, expected);
        // the values are validated when the catalog opens (settings::Settings), not here
        properties.insert("zkarrow.read-only".to_string(), "maybe".to_string());
        assert_eq!(parse(&properties).unwrap().settings["read_only"], "maybe");
        // every dynamic setting has its property
        let keys: Vec<&str> = SETTING_PROPERTIES.iter().map(|(k, _)| *k).collect();
        let settings_keys: Vec<&str> = crate::zk::settings::KEYS.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, settings_keys);

        let node: NodeInfo = serde_json::from_value(serde_json::json!({
            "node_id": "n1", "host": "h", "http_address": "h:8080", "coordinator": true
        }))
        .unwrap();
        let c = CatalogConfig::from_properties("lake", &minimal(), Some(node)).unwrap();
        let node = c.node.unwrap();
        assert_eq!((node.node_id.as_str(), node.coordinator), ("n1", true));
    }

    #[test]
    fn properties_locations_and_grace() {
        let defaults = parse(&minimal()).unwrap();
        assert!(defaults.allowed_locations.is_empty());
        assert_eq!(defaults.gc_min_grace_ms, 3_600_000);
        let mut properties = minimal();
        properties.insert(
            ALLOWED_LOCATIONS.to_string(),
            " /data/warehouse, /mnt/exports ,".to_string(),
        );
        properties.insert(GC_MIN_GRACE.to_string(), "30m".to_string());
        let c = parse(&properties).unwrap();
        assert_eq!(
            c.allowed_locations,
            vec![
                PathBuf::from("/data/warehouse"),
                PathBuf::from("/mnt/exports")
            ]
        );
        assert_eq!(c.gc_min_grace_ms, 1_800_000);
        assert_invalid(
            with_property(ALLOWED_LOCATIONS, "/data,relative/dir"),
            ALLOWED_LOCATIONS,
        );
        assert_invalid(with_property(ALLOWED_LOCATIONS, " , "), ALLOWED_LOCATIONS);
        assert_invalid(with_property(GC_MIN_GRACE, "an hour"), GC_MIN_GRACE);
    }

    #[test]
    fn properties_zookeeper_security() {
        let mut properties = minimal();
        for (name, value) in [
            (AUTH, "digest:alice:s3cret"),
            (ACL, " creator-all "),
            (SASL_USERNAME, "bob"),
            (SASL_PASSWORD, "pa55"),
            (SASL_MECHANISM, "DIGEST-MD5"),
            (TLS_ENABLED, "TRUE"),
            (TLS_TRUST_STORE, "/etc/zk/ca.pem"),
            (TLS_KEY_STORE, "/etc/zk/client.pem"),
            (TLS_HOSTNAME_VERIFICATION, "false"),
        ] {
            properties.insert(name.to_string(), value.to_string());
        }
        let c = parse(&properties).unwrap();
        assert!(c.authenticates());
        assert_eq!(
            c.zookeeper_auth.as_ref().map(Secret::expose),
            Some("digest:alice:s3cret")
        );
        assert_eq!(c.zookeeper_acl.as_deref(), Some("creator-all"));
        assert_eq!(c.zookeeper_sasl_mechanism.as_deref(), Some("DIGEST-MD5"));
        assert_eq!(c.zookeeper_sasl_username.as_deref(), Some("bob"));
        assert_eq!(
            c.zookeeper_sasl_password.as_ref().map(Secret::expose),
            Some("pa55")
        );
        assert!(c.zookeeper_tls_enabled);
        assert_eq!(
            c.zookeeper_tls_trust_store,
            Some(PathBuf::from("/etc/zk/ca.pem"))
        );
        assert_eq!(
            c.zookeeper_tls_key_store,
            Some(PathBuf::from("/etc/zk/client.pem"))
        );
        assert!(!c.zookeeper_tls_hostname_verification);
        let debug = format!("{c:?}");
        assert!(
            !debug.contains("s3cret") && !debug.contains("pa55"),
            "{debug}"
        );
        let open = CatalogOpen {
            catalog: "lake".to_string(),
            properties: properties.clone(),
            node: None,
        };
        let debug = format!("{open:?}");
        assert!(
            !debug.contains("s3cret") && !debug.contains("pa55") && debug.contains(AUTH),
            "{debug}"
        );
        assert!(open.into_config().unwrap().authenticates());
        assert!(!parse(&minimal()).unwrap().authenticates());

        let e = parse(&with_property(AUTH, "nocolon-s3cret")).unwrap_err();
        assert!(
            e.message.contains(AUTH) && !e.message.contains("s3cret"),
            "{e}"
        );
        assert_invalid(with_property(AUTH, "digest:"), AUTH);
        assert_invalid(with_property(TLS_ENABLED, "yes"), TLS_ENABLED);
        assert_invalid(with_property(TLS_TRUST_STORE, "ca.pem"), TLS_TRUST_STORE);
        assert_invalid(with_property(TLS_KEY_STORE, "client.pem"), TLS_KEY_STORE);
        assert_invalid(
            with_property(TLS_HOSTNAME_VERIFICATION, "no"),
            TLS_HOSTNAME_VERIFICATION,
        );
        // an unknown property's message lists the security properties
        assert_invalid(
            with_property("zkarrow.zookeeper.tls.truststore", "/ca.pem"),
            TLS_TRUST_STORE,
        );
    }

    #[test]
    fn properties_errors() {
        assert_invalid(
            without(CONNECT),
            "Missing required catalog property zkarrow.zookeeper.connect",
        );
        assert_invalid(
            without(WAREHOUSE),
            "Missing required catalog property zkarrow.warehouse",
        );
        assert_invalid(
            with_property("zkarrow.zookeper.root", "/x"),
            "Unknown zkarrow catalog property zkarrow.zookeper.root",
        );
        assert_invalid(with_property("connector.name", "zkarrow"), "connector.name");
        // a misspelt dynamic setting is unknown, and the message lists the real ones
        assert_invalid(
            with_property("zkarrow.split_target_size", "64MB"),
            "zkarrow.split-target-size",
        );
        assert_invalid(
            with_property("zkarrow.readonly", "true"),
            "Unknown zkarrow catalog property zkarrow.readonly",
        );
        assert_invalid(with_property(ROOT, "zkarrow"), ROOT);
        assert_invalid(with_property(ROOT, "/zkarrow/"), ROOT);
        assert_invalid(with_property(SESSION_TIMEOUT, "30"), SESSION_TIMEOUT);
        assert_invalid(with_property(CONNECT_TIMEOUT, "0s"), CONNECT_TIMEOUT);
        assert_invalid(with_property(WAREHOUSE, "warehouse"), WAREHOUSE);
        assert_invalid(with_property(CONNECT, "zk1:2181, zk2:2181"), CONNECT);
    }

    #[test]
    fn properties_messages_are_the_plugins() {
        let message =
            |properties: BTreeMap<String, String>| parse(&properties).unwrap_err().message;
        assert_eq!(
            message(without(CONNECT)),
            "Missing required catalog property zkarrow.zookeeper.connect in catalog lake: set it to the ZooKeeper connect string, host:port[,host:port...][/chroot] (required)"
        );
        let mut two = with_property("zkarrow.b", "1");
        two.insert("zkarrow.a".to_string(), "2".to_string());
        let unknown = message(two);
        assert!(
            unknown.starts_with("Unknown zkarrow catalog properties zkarrow.a, zkarrow.b in catalog lake: remove them. Known properties: zkarrow.zookeeper.connect: ZooKeeper connect string"),
            "{unknown}"
        );
        assert!(
            unknown.ends_with("; zkarrow.write-batch-size: default bytes of Arrow data of a written record batch, about (pages are coalesced up to it), e.g. 1MB (dynamic: CALL system.set_config('write_batch_size', ...) overrides it)"),
            "{unknown}"
        );
        assert!(message(with_property("zkarrow.x", "1")).starts_with(
            "Unknown zkarrow catalog property zkarrow.x in catalog lake: remove it. Known properties: "
        ));
        assert_eq!(
            message(with_property(SESSION_TIMEOUT, "thirty seconds")),
            "Invalid zkarrow.zookeeper.session-timeout 'thirty seconds' in catalog lake: use a duration with a unit, such as 500ms, 30s, 2m"
        );
        assert_eq!(
            message(with_property(CONNECT_TIMEOUT, "25d")),
            "Invalid zkarrow.zookeeper.connect-timeout '25d' in catalog lake: it must be at least 1ms and below 24 days"
        );
        assert_eq!(
            message(with_property(CONNECT_TIMEOUT, "999us")),
            "Invalid zkarrow.zookeeper.connect-timeout '999us' in catalog lake: it must be at least 1ms and below 24 days"
        );
        // Java's forms: any case, blanks, ns/us, fractions; at most 2^31-1 ms (24.8 days)
        let grace =
            |value: &str| parse(&with_property(GC_MIN_GRACE, value)).map(|c| c.gc_min_grace_ms);
        assert_eq!(grace(" 2 H ").unwrap(), 7_200_000);
        assert_eq!(grace("1000000ns").unwrap(), 1);
        assert_eq!(grace("1500.7us").unwrap(), 1);
        assert_eq!(grace("23.5d").unwrap(), 2_030_400_000);
        assert!(grace("25d").is_err() && grace(".5h").is_err() && grace("1.h").is_err());
        assert_eq!(
            message(with_property(ROOT, " /a/ ")),
            "Invalid zkarrow.zookeeper.root '/a/' in catalog lake: it must be an absolute znode path starting with '/' (such as /zkarrow/lake), without a trailing '/'"
        );
        assert_eq!(
            message(with_property(AUTH, ":s3cret")),
            "Invalid zkarrow.zookeeper.auth in catalog lake: use scheme:credential, such as digest:user:password (value not shown)"
        );
        assert_eq!(
            message(with_property(TLS_ENABLED, " Yes ")),
            "Invalid zkarrow.zookeeper.tls.enabled ' Yes ' in catalog lake: use true or false"
        );
        assert_eq!(
            message(with_property(ALLOWED_LOCATIONS, ",")),
            "Invalid zkarrow.allowed-locations in catalog lake: it lists no path; remove it to allow the warehouse alone"
        );
        // the native rules still apply after the catalog file's
        assert!(message(with_property(ACL, "world:anyone:r")).contains(ACL));
        assert!(message(with_property(SESSION_TIMEOUT, "500ms")).contains(SESSION_TIMEOUT));
    }

    #[test]
    fn catalog_open_document_reads_the_properties_as_given() {
        let open = CatalogOpen::from_json(
            r#"{"catalog":"lake","properties":{"zkarrow.zookeeper.connect":"h:1","zkarrow.warehouse":"/w","zkarrow.read-only":"true"},"node":null}"#,
        )
        .unwrap();
        let c = open.into_config().unwrap();
        assert_eq!(
            (c.root.as_str(), c.settings["read_only"].as_str()),
            ("/zkarrow/lake", "true")
        );
        let e =
            CatalogOpen::from_json(r#"{"catalog":"lake","properties":{},"bogus":1}"#).unwrap_err();
        assert!(e.message.contains("bogus"), "{e}");
    }
}
