//! The settings of one catalog, as the Java plugin hands them over after parsing the catalog file.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::zk::membership::NodeInfo;
use crate::{err, Result};

/// `NativeCatalog.open`'s document. It serializes too (the protocol's golden test): members at
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

impl CatalogConfig {
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
        if !self.warehouse.is_absolute() {
            return Err(err!(
                InvalidConfig,
                "zkarrow.warehouse must be an absolute directory path, got '{}'",
                self.warehouse.display()
            ));
        }
        for root in &self.allowed_locations {
            if !root.is_absolute() {
                return Err(err!(
                    InvalidConfig,
                    "zkarrow.allowed-locations must list absolute directory paths, got '{}'",
                    root.display()
                ));
            }
        }
        self.validate_security()
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
}
