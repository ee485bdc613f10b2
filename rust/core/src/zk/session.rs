//! A ZooKeeper session that survives expiry: every call runs on the current client, and a client whose
//! session has ended for good (expired, closed, auth failed) is replaced once before the call fails.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::RwLock;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;
use zookeeper_client as zk;

use crate::config::{CatalogConfig, Secret};
use crate::{err, Error, ErrorCode, Result};

pub use zk::Stat;

pub struct ZkSession {
    connect: String,
    session_timeout: Duration,
    connect_timeout: Duration,
    security: Security,
    /// The ACL of every znode this session creates (`zkarrow.zookeeper.acl`).
    acls: Vec<zk::Acl>,
    client: RwLock<zk::Client>,
    /// Requests sent, for tests and `system` statistics (a cached plan sends none).
    requests: AtomicU64,
}

/// How a session authenticates and encrypts; applied to every new session (a renewal too).
/// No `Debug`: it holds credentials.
#[derive(Clone, Default)]
pub struct Security {
    /// `(scheme, credential)` of `zkarrow.zookeeper.auth`.
    auth: Option<(String, Secret)>,
    /// `(mechanism, user name, password)` of `zkarrow.zookeeper.sasl.*`.
    sasl: Option<(String, String, Secret)>,
    tls: Option<zk::TlsOptions>,
}

impl Security {
    /// Reads the security settings of `config`, loading the TLS PEM files; errors name the property.
    pub fn from_config(config: &CatalogConfig) -> Result<Self> {
        let tls = if config.zookeeper_tls_enabled {
            Some(tls_options(config)?)
        } else {
            None
        };
        Ok(Security {
            auth: config.auth()?,
            sasl: config.sasl()?,
            tls,
        })
    }

    fn connector(&self, session_timeout: Duration, connect_timeout: Duration) -> zk::Connector {
        let mut connector = zk::Client::connector()
            .with_session_timeout(session_timeout)
            .with_connection_timeout(connect_timeout);
        if let Some((scheme, credential)) = &self.auth {
            connector = connector.with_auth(scheme, credential.expose().as_bytes());
        }
        if let Some((_mechanism, username, password)) = &self.sasl {
            // DIGEST-MD5 is the only mechanism the configuration accepts in this build.
            connector = connector.with_sasl(zk::SaslOptions::digest_md5(
                username.clone(),
                password.expose().to_string(),
            ));
        }
        if let Some(tls) = &self.tls {
            connector = connector.with_tls(tls.clone());
        }
        connector
    }

    /// What a failed connection attempt may be about, for its error message.
    fn hint(&self) -> String {
        let mut hint = String::from("check zkarrow.zookeeper.connect and that the ensemble is up");
        if self.tls.is_none() {
            hint.push_str("; if the servers only listen with TLS (secureClientPort), set zkarrow.zookeeper.tls.enabled and zkarrow.zookeeper.tls.trust-store");
        } else {
            hint.push_str("; with zkarrow.zookeeper.tls.enabled the port must be a TLS port (secureClientPort) whose certificate zkarrow.zookeeper.tls.trust-store trusts");
        }
        hint
    }

    fn credentials(&self) -> &'static str {
        match (&self.auth, &self.sasl) {
            (Some(_), Some(_)) => "zkarrow.zookeeper.auth or zkarrow.zookeeper.sasl.*",
            (None, Some(_)) => "zkarrow.zookeeper.sasl.username/password",
            _ => "zkarrow.zookeeper.auth",
        }
    }
}

fn read_pem(property: &str, path: &std::path::Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| {
        err!(
            InvalidConfig,
            "{property}: cannot read '{}': {e}",
            path.display()
        )
    })?;
    match String::from_utf8(bytes) {
        Ok(text) if text.contains("-----BEGIN ") => Ok(text),
        _ => Err(err!(
            InvalidConfig,
            "{property}: '{}' is not a PEM file; zkarrow reads PEM only (a JKS or PKCS12 store converts with `keytool -exportcert -rfc` for certificates and `openssl pkcs12 -nodes` for a key)",
            path.display()
        )),
    }
}

fn tls_options(config: &CatalogConfig) -> Result<zk::TlsOptions> {
    const TRUST: &str = "zkarrow.zookeeper.tls.trust-store";
    const KEY: &str = "zkarrow.zookeeper.tls.key-store";
    let mut options = zk::TlsOptions::new();
    if !config.zookeeper_tls_hostname_verification {
        // SAFETY: not memory safety; the crate marks this `unsafe` because it weakens TLS. The
        // operator asked for it with zkarrow.zookeeper.tls.hostname-verification=false.
        options = unsafe { options.with_no_hostname_verification() };
    }
    if let Some(path) = &config.zookeeper_tls_trust_store {
        let pem = read_pem(TRUST, path)?;
        options = options.with_pem_ca(&pem).map_err(|e| {
            err!(
                InvalidConfig,
                "{TRUST}: no CA certificate in PEM file '{}': {e}",
                path.display()
            )
        })?;
    }
    if let Some(path) = &config.zookeeper_tls_key_store {
        let pem = read_pem(KEY, path)?;
        if pem.contains("ENCRYPTED PRIVATE KEY") {
            return Err(err!(
                InvalidConfig,
                "{KEY}: the private key in '{}' is encrypted; zkarrow needs an unencrypted key (`openssl pkcs12 -nodes` or `openssl pkey`) in a file only Presto can read",
                path.display()
            ));
        }
        options = options.with_pem_identity(&pem, &pem).map_err(|e| {
            err!(
                InvalidConfig,
                "{KEY}: '{}' must hold the client certificate chain and its private key in PEM: {e}",
                path.display()
            )
        })?;
    }
    Ok(options)
}

fn to_zk_acls(config: &CatalogConfig) -> Result<Vec<zk::Acl>> {
    Ok(config
        .zookeeper_acl()?
        .iter()
        .map(|e| {
            let mut perms = zk::Permission::NONE;
            for (bit, perm) in [
                (1, zk::Permission::READ),
                (2, zk::Permission::WRITE),
                (4, zk::Permission::CREATE),
                (8, zk::Permission::DELETE),
                (16, zk::Permission::ADMIN),
            ] {
                if e.perms & bit != 0 {
                    perms = perms | perm;
                }
            }
            zk::Acl::new(perms, zk::AuthId::new(&e.scheme, &e.id))
        })
        .collect())
}

/// What a call needs from the outcome of a ZooKeeper operation.
fn zk_error(op: &str, path: &str, e: zk::Error) -> Error {
    let code = match e {
        zk::Error::ConnectionLoss | zk::Error::Timeout | zk::Error::NoHosts => {
            ErrorCode::ZookeeperUnavailable
        }
        _ => ErrorCode::ZookeeperError,
    };
    let why = why(&e);
    Error::new(code, format!("ZooKeeper {op} of {path} failed: {e}{why}"))
}

/// What to check after a ZooKeeper error about rights or credentials ("" for other errors), to
/// append to a message.
pub fn why(e: &zk::Error) -> &'static str {
    match e {
        zk::Error::NoAuth => "; the znode's ACL does not let this session's identity do that: check zkarrow.zookeeper.auth (or zkarrow.zookeeper.sasl.*) names the identity that created the catalog",
        zk::Error::InvalidAcl => "; ZooKeeper refused the ACL of zkarrow.zookeeper.acl (scheme 'auth' needs an authenticated session: check zkarrow.zookeeper.auth)",
        zk::Error::AuthFailed => "; ZooKeeper refused the session's credentials: check zkarrow.zookeeper.auth (or zkarrow.zookeeper.sasl.*)",
        _ => "",
    }
}

fn is_final(e: &zk::Error) -> bool {
    matches!(
        e,
        zk::Error::SessionExpired | zk::Error::ClientClosed | zk::Error::AuthFailed
    )
}

impl ZkSession {
    pub async fn connect(config: &CatalogConfig) -> Result<Self> {
        let session_timeout = config.session_timeout();
        let connect_timeout = config.connect_timeout();
        let security = Security::from_config(config)?;
        let acls = to_zk_acls(config)?;
        let client =
            Self::new_client(&config.connect, &security, session_timeout, connect_timeout).await?;
        Ok(ZkSession {
            connect: config.connect.clone(),
            session_timeout,
            connect_timeout,
            security,
            acls,
            client: RwLock::new(client),
            requests: AtomicU64::new(0),
        })
    }

    async fn new_client(
        connect: &str,
        security: &Security,
        session_timeout: Duration,
        connect_timeout: Duration,
    ) -> Result<zk::Client> {
        let connector = security.connector(session_timeout, connect_timeout);
        let connecting = async {
            if security.tls.is_some() {
                connector.secure_connect(connect).await
            } else {
                connector.connect(connect).await
            }
        };
        match tokio::time::timeout(connect_timeout, connecting).await {
            Ok(Ok(client)) => Ok(client),
            Ok(Err(zk::Error::AuthFailed)) => Err(err!(
                ZookeeperError,
                "ZooKeeper at '{connect}' refused the session's credentials (authentication failed): check {}",
                security.credentials()
            )),
            Ok(Err(e)) => Err(err!(
                ZookeeperUnavailable,
                "cannot connect to ZooKeeper at '{connect}': {e}; {}",
                security.hint()
            )),
            Err(_) => Err(err!(
                ZookeeperUnavailable,
                "no ZooKeeper server at '{connect}' answered within {}ms; {}",
                connect_timeout.as_millis(),
                security.hint()
            )),
        }
    }

    /// The ACL every znode zkarrow creates must get (`zkarrow.zookeeper.acl`).
    pub fn acls(&self) -> zk::Acls<'_> {
        zk::Acls::new(&self.acls)
    }

    /// Create options with this session's ACL.
    pub fn create_options(&self, mode: zk::CreateMode) -> zk::CreateOptions<'_> {
        mode.with_acls(self.acls())
    }

    pub fn request_count(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// The client of the current session.
    pub fn client(&self) -> zk::Client {
        self.client
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    async fn renew(&self, broken_session: zk::SessionId) -> Result<()> {
        if self.client().session_id() != broken_session {
            return Ok(()); // another thread renewed it already
        }
        // A new session authenticates again: the credentials belong to the connector.
        let fresh = Self::new_client(
            &self.connect,
            &self.security,
            self.session_timeout,
            self.connect_timeout,
        )
        .await?;
        let mut guard = self.client.write().unwrap_or_else(|p| p.into_inner());
        if guard.session_id() == broken_session {
            *guard = fresh;
        }
        Ok(())
    }

    /// Runs `op` on the current client; on a final session error, renews the session and runs it
    /// once more. Writes are safe to repeat here: a final error means the first attempt never ran.
    pub async fn run<T, F, Fut>(&self, what: &str, path: &str, op: F) -> Result<T>
    where
        F: Fn(zk::Client) -> Fut,
        Fut: std::future::Future<Output = std::result::Result<T, zk::Error>>,
    {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let client = self.client();
        match op(client.clone()).await {
            Err(e) if is_final(&e) => {
                self.renew(client.session_id()).await?;
                op(self.client()).await.map_err(|e| zk_error(what, path, e))
            }
            other => other.map_err(|e| zk_error(what, path, e)),
        }
    }

    /// Reads a znode's bytes; `None` when it does not exist.
    pub async fn get_raw(&self, path: &str) -> Result<Option<(Vec<u8>, Stat)>> {
        let owned = path.to_string();
        self.run("read", path, |c| {
            let p = owned.clone();
            async move {
                match c.get_data(&p).await {
                    Ok(v) => Ok(Some(v)),
                    Err(zk::Error::NoNode) => Ok(None),
                    Err(e) => Err(e),
                }
            }
        })
        .await
    }

    /// Reads and parses a JSON znode; `None` when it does not exist.
    pub async fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<Option<(T, Stat)>> {
        let found = self.get_raw(path).await?;
        match found {
            None => Ok(None),
            Some((bytes, stat)) => {
                let value = serde_json::from_slice(&bytes).map_err(|e| {
                    err!(
                        CorruptMetadata,
                        "znode {path} does not hold the expected JSON: {e}"
                    )
                })?;
                Ok(Some((value, stat)))
            }
        }
    }

    /// Creates a persistent JSON znode; `Ok(false)` when it exists already.
    pub async fn create_json<T: Serialize>(&self, path: &str, value: &T) -> Result<bool> {
        let data = to_json(value)?;
        let owned = path.to_string();
        self.run("create", path, |c| {
            let (p, d) = (owned.clone(), data.clone());
            async move {
                let options = self.create_options(zk::CreateMode::Persistent);
                match c.create(&p, &d, &options).await {
                    Ok(_) => Ok(true),
                    Err(zk::Error::NodeExists) => Ok(false),
                    Err(e) => Err(e),
                }
            }
        })
        .await
    }

    /// Creates `path` and its missing ancestors as empty persistent znodes.
    pub async fn mkdirs(&self, path: &str) -> Result<()> {
        let owned = path.to_string();
        self.run("mkdir", path, |c| {
            let p = owned.clone();
            async move {
                // A session whose identity may only read must still open an existing catalog:
                // ZooKeeper checks the parent's ACL before it reports NodeExists.
                if c.check_stat(&p).await?.is_some() {
                    return Ok(());
                }
                let options = self.create_options(zk::CreateMode::Persistent);
                match c.mkdir(&p, &options).await {
                    Err(zk::Error::NoAuth) if c.check_stat(&p).await?.is_some() => Ok(()),
                    other => other,
                }
            }
        })
        .await
    }

    /// Children of `path`, sorted; `None` when `path` does not exist.
    pub async fn children(&self, path: &str) -> Result<Option<Vec<String>>> {
        let owned = path.to_string();
        let mut found = self
            .run("list", path, |c| {
                let p = owned.clone();
                async move {
                    match c.list_children(&p).await {
                        Ok(v) => Ok(Some(v)),
                        Err(zk::Error::NoNode) => Ok(None),
                        Err(e) => Err(e),
                    }
                }
            })
            .await?;
        if let Some(names) = found.as_mut() {
            names.sort();
        }
        Ok(found)
    }

    /// Deletes `path` at `version` (any version when `None`); the raw ZooKeeper outcome is
    /// returned so that callers can tell NoNode, NotEmpty and BadVersion apart.
    pub async fn delete(
        &self,
        path: &str,
        version: Option<i32>,
    ) -> Result<std::result::Result<(), zk::Error>> {
        let owned = path.to_string();
        self.run("delete", path, |c| {
            let p = owned.clone();
            async move {
                match c.delete(&p, version).await {
                    Ok(()) => Ok(Ok(())),
                    Err(e @ (zk::Error::NoNode | zk::Error::NotEmpty | zk::Error::BadVersion)) => {
                        Ok(Err(e))
                    }
                    Err(e) => Err(e),
                }
            }
        })
        .await
    }

    /// Makes the local server catch up with the leader before a read that must see other clients'
    /// writes.
    pub async fn sync(&self, path: &str) -> Result<()> {
        let owned = path.to_string();
        self.run("sync", path, |c| {
            let p = owned.clone();
            async move { c.sync(&p).await }
        })
        .await
    }
}

pub fn to_json<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    serde_json::to_vec_pretty(value).map_err(|e| err!(Internal, "cannot serialize a record: {e}"))
}
