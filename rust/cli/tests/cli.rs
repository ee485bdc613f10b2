//! The `zkarrow` command against a real ZooKeeper server: what an operator types, what they read.

#[path = "../../core/tests/support/mod.rs"]
mod support;

use std::process::{Command, Output};

use support::ZooKeeperServer;

struct Cli {
    zookeeper: String,
    warehouse: tempfile::TempDir,
}

impl Cli {
    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_zkarrow"))
            .args(["--zookeeper", &self.zookeeper, "--root", "/zkarrow/cli"])
            .args(["--warehouse", self.warehouse.path().to_str().unwrap()])
            .args(args)
            .output()
            .unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "zkarrow {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut with_json = args.to_vec();
        with_json.push("--json");
        serde_json::from_str(&self.ok(&with_json)).unwrap()
    }
}

/// Removes every orphan however young: an operator who knows no write is running.
const GC_EVERY_ORPHAN_NOW: &[&str] = &[
    "gc",
    "--older-than",
    "0s",
    "--gc-min-grace",
    "0s",
    "--apply",
];

/// The paths a dry-run `gc` of s.t lists.
fn orphan_paths(cli: &Cli) -> Vec<String> {
    let orphans = cli.json(&["gc", "s", "t", "--older-than", "0s"]);
    orphans
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o[1].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn an_operator_session_from_init_to_gc() {
    let zk = ZooKeeperServer::start();
    let cli = Cli {
        zookeeper: zk.connect_string(),
        warehouse: tempfile::tempdir().unwrap(),
    };
    let data = cli.warehouse.path().join("incoming");
    cli.ok(&["init"]);
    cli.ok(&["create-schema", "sales"]);
    cli.ok(&["sample", "--out", data.to_str().unwrap(), "--rows", "3000"]);

    let registered = cli.json(&["register", "sales", "trips", data.to_str().unwrap()]);
    assert_eq!(registered["columns"].as_array().unwrap().len(), 8);
    assert_eq!(cli.json(&["ls"]), serde_json::json!(["sales"]));
    let listing = cli.ok(&["ls", "sales"]);
    assert!(listing.contains("trips"), "{listing}");
    let show = cli.ok(&["show", "sales", "trips"]);
    assert!(
        show.contains("fare") && show.contains("decimal(10,2)") && show.contains("(registered)"),
        "{show}"
    );
    assert!(show.contains("(layout format 2)"), "{show}");

    // Import converts the sample (dictionary strings, microsecond timestamps) into a new table.
    let imported = cli.json(&[
        "import",
        "sales",
        "copy",
        data.to_str().unwrap(),
        "--create",
    ]);
    assert_eq!(imported["rows"], 3000);
    assert_eq!(imported["snapshot_id"], 2);
    let snapshots = cli.json(&["show", "sales", "copy", "--snapshots"]);
    assert_eq!(snapshots[0]["total_rows"], 3000);
    let files = cli.json(&["show", "sales", "copy", "--files"]);
    assert!(files
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["path"].as_str().unwrap().ends_with(".arrow")));
    let missing = cli.run(&["import", "sales", "nope", data.to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("--create"));

    // A second import makes more small files; optimize rewrites them into one.
    cli.json(&["import", "sales", "copy", data.to_str().unwrap()]);
    let before = cli.json(&["show", "sales", "copy", "--files"]);
    let before = before.as_array().unwrap().len() as u64;
    assert!(before >= 2, "{before} files");
    let optimized = cli.json(&["optimize", "sales", "copy", "--target-file-size", "1GB"]);
    assert_eq!(optimized["committed"], true, "{optimized}");
    assert_eq!(optimized["files_before"], before);
    assert_eq!(optimized["files_after"], 1);
    assert_eq!(optimized["rows"], 6000);
    let snapshots = cli.json(&["show", "sales", "copy", "--snapshots"]);
    assert_eq!(snapshots[0]["operation"], "replace");
    assert_eq!(snapshots[0]["total_rows"], 6000);
    let again = cli.ok(&["optimize", "sales", "copy"]);
    assert!(again.contains("nothing to compact"), "{again}");
    let bad = cli.run(&["optimize", "sales", "copy", "--target-file-size", "12XB"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--target-file-size"));

    cli.ok(&["config", "set", "split_target_size", "16MB"]);
    let config = cli.json(&["config", "get", "split_target_size"]);
    assert_eq!(config[0]["source"], "zookeeper");
    assert_eq!(config[0]["value"], "16777216B");
    let bad = cli.run(&["config", "set", "read_only", "sometimes"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("true or false"));

    assert_eq!(cli.json(&["locks"]), serde_json::json!([]));
    assert_eq!(cli.json(&["nodes"]), serde_json::json!([]));
    let refused = cli.run(&["locks", "break", "sales", "copy"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--force"));

    // An orphan left by a crashed writer: listed by a dry run, removed with --apply.
    let table_dir = std::path::Path::new(files[0]["path"].as_str().unwrap())
        .parent()
        .unwrap()
        .to_path_buf();
    std::fs::write(table_dir.join("crashed.arrow"), b"x").unwrap();
    let dry = cli.json(&["gc", "sales", "copy", "--older-than", "0s"]);
    assert_eq!(dry.as_array().unwrap().len(), 1);
    assert!(table_dir.join("crashed.arrow").exists());
    let refused = cli.run(&["gc", "--older-than", "0s", "--apply"]);
    assert_eq!(refused.status.code(), Some(2), "a bad argument");
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(why.contains("zkarrow.gc-min-grace"), "{why}");
    assert!(table_dir.join("crashed.arrow").exists());
    cli.ok(GC_EVERY_ORPHAN_NOW);
    assert!(!table_dir.join("crashed.arrow").exists());

    cli.ok(&["unregister", "sales", "trips"]);
    assert!(data.join("trips-0.arrow").exists());
    let unreachable = Command::new(env!("CARGO_BIN_EXE_zkarrow"))
        .args(["--zookeeper", "127.0.0.1:1", "ls"])
        .output()
        .unwrap();
    assert_eq!(unreachable.status.code(), Some(3));
}

#[test]
fn a_writer_killed_in_the_middle_of_a_commit_leaves_the_table_whole_and_its_orphans_findable() {
    let zk = ZooKeeperServer::start();
    let cli = Cli {
        zookeeper: zk.connect_string(),
        warehouse: tempfile::tempdir().unwrap(),
    };
    let data = cli.warehouse.path().join("incoming");
    cli.ok(&["create-schema", "s"]);
    cli.ok(&["sample", "--out", data.to_str().unwrap(), "--rows", "900"]);
    cli.json(&["import", "s", "t", data.to_str().unwrap(), "--create"]);

    // A second import pauses with its files and manifest written and the lock held; it is killed
    // with SIGKILL there.
    let mut victim = Command::new(env!("CARGO_BIN_EXE_zkarrow"))
        .args([
            "--zookeeper",
            &cli.zookeeper,
            "--root",
            "/zkarrow/cli",
            "--session-timeout",
            "4s",
        ])
        .args(["--warehouse", cli.warehouse.path().to_str().unwrap()])
        .args(["import", "s", "t", data.to_str().unwrap()])
        .env("ZKARROW_FAULT_PAUSE_BEFORE_SWAP_MS", "60000")
        .spawn()
        .unwrap();
    // The commit takes the lock, then writes its manifest, then pauses: wait for both.
    let schema_dir = cli.warehouse.path().join("s");
    let manifest_written = || {
        std::fs::read_dir(&schema_dir)
            .unwrap()
            .flatten()
            .any(|table| {
                std::fs::read_dir(table.path().join("metadata"))
                    .map(|files| {
                        files
                            .flatten()
                            .any(|f| f.file_name().to_string_lossy().starts_with("snap-3-"))
                    })
                    .unwrap_or(false)
            })
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while cli.json(&["locks"]).as_array().unwrap().is_empty() || !manifest_written() {
        assert!(
            std::time::Instant::now() < deadline,
            "the import never reached its commit"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    victim.kill().unwrap(); // SIGKILL
    victim.wait().unwrap();

    let history = cli.json(&["show", "s", "t", "--snapshots"]);
    assert_eq!(
        history.as_array().unwrap().len(),
        2,
        "no half commit: still create + first import"
    );
    assert_eq!(history[0]["total_rows"], 900);
    let paths = orphan_paths(&cli);
    assert!(
        paths.iter().any(|p| p.contains("/metadata/snap-3-")),
        "the unpublished manifest is an orphan: {paths:?}"
    );
    assert!(
        !paths.iter().any(|p| p.ends_with(".arrow")),
        "while the killed import's session lives its write counts as in flight: {paths:?}"
    );

    // Its lock and its write marker die with its session; then its files are orphans.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !cli.json(&["locks"]).as_array().unwrap().is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "the killed writer's lock outlived its session"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let paths = orphan_paths(&cli);
    assert!(
        paths.iter().any(|p| p.ends_with(".arrow")),
        "the killed import's data files are orphans: {paths:?}"
    );
    let again = cli.json(&["import", "s", "t", data.to_str().unwrap()]);
    assert_eq!(again["snapshot_id"], 3);
    cli.ok(GC_EVERY_ORPHAN_NOW);
    assert_eq!(
        cli.json(&["show", "s", "t", "--snapshots"])[0]["total_rows"],
        1800
    );
}

#[test]
fn a_secured_catalog_is_managed_with_credentials_from_the_environment() {
    let zk = support::ZooKeeperServer::start_with(support::ServerSecurity {
        digest: true,
        ..Default::default()
    });
    let cli = Cli {
        zookeeper: zk.connect_string(),
        warehouse: tempfile::tempdir().unwrap(),
    };
    let with_auth = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_zkarrow"))
            .args(["--zookeeper", &cli.zookeeper, "--root", "/zkarrow/cli"])
            .args(["--warehouse", cli.warehouse.path().to_str().unwrap()])
            .args(args)
            .env("ZKARROW_ZOOKEEPER_AUTH", "digest:ops:ops-secret")
            .output()
            .unwrap()
    };
    for args in [&["init"][..], &["create-schema", "sales"][..]] {
        let out = with_auth(args);
        assert!(
            out.status.success(),
            "zkarrow {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // Without credentials the catalog reads (world-read) but refuses changes, naming the setting.
    assert_eq!(cli.json(&["ls"]), serde_json::json!(["sales"]));
    let out = cli.run(&["create-schema", "other"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("zkarrow.zookeeper.auth"), "{stderr}");
    assert!(!stderr.contains("ops-secret"), "{stderr}");
    // --help never prints the credential from the environment.
    let help = with_auth(&["--help"]);
    assert!(!String::from_utf8_lossy(&help.stdout).contains("ops-secret"));
}

#[test]
fn an_operator_manages_a_warehouse_in_a_bucket() {
    let zk = ZooKeeperServer::start();
    let s3 = support::s3::S3Server::start("cli-lake");
    let warehouse = format!("s3://{}/wh", s3.bucket);
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_zkarrow"))
            .args([
                "--zookeeper",
                &zk.connect_string(),
                "--root",
                "/zkarrow/cli-s3",
            ])
            .args(["--warehouse", &warehouse, "--s3-path-style-access"])
            .env(
                "ZKARROW_S3_ENDPOINT",
                format!("http://127.0.0.1:{}", s3.port),
            )
            .env("ZKARROW_S3_REGION", "us-east-1")
            .env("ZKARROW_S3_ACCESS_KEY", &s3.access_key)
            .env("ZKARROW_S3_SECRET_KEY", &s3.secret_key)
            .args(args)
            .output()
            .unwrap()
    };
    let json = |args: &[&str]| -> serde_json::Value {
        let mut with_json = args.to_vec();
        with_json.push("--json");
        let out = run(&with_json);
        assert!(
            out.status.success(),
            "zkarrow {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    json(&["init"]);
    json(&["create-schema", "sales"]);
    // files another tool put in the bucket, registered where they are
    let incoming = format!("{warehouse}/incoming");
    let written = json(&["sample", "--out", &incoming, "--rows", "3000"]);
    assert_eq!(written.as_array().unwrap().len(), 3, "{written}");
    let registered = json(&["register", "sales", "trips", &incoming]);
    assert_eq!(registered["columns"].as_array().unwrap().len(), 8);
    // import copies them into a table zkarrow writes in the bucket
    let imported = json(&["import", "sales", "copy", &incoming, "--create"]);
    assert_eq!(imported["rows"], 3000);
    let files = json(&["show", "sales", "copy", "--files"]);
    let first = files[0]["path"].as_str().unwrap().to_string();
    assert!(first.starts_with(&format!("{warehouse}/sales/")), "{first}");

    // files a crashed writer left in the table's data prefix: listed by a dry run, removed with
    // --apply
    let data_prefix = &first[..first.rfind('/').unwrap()];
    json(&["sample", "--out", data_prefix, "--rows", "3"]);
    let dry = json(&["gc", "sales", "copy", "--older-than", "0s"]);
    let listed: Vec<&str> = dry
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o[1].as_str().unwrap())
        .collect();
    assert_eq!(listed.len(), 3, "the sample's three files: {listed:?}");
    assert!(
        listed.iter().all(|p| p.starts_with(data_prefix)),
        "{listed:?}"
    );
    let out = run(GC_EVERY_ORPHAN_NOW);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = json(&["gc", "sales", "copy", "--older-than", "0s"]);
    assert_eq!(after, serde_json::json!([]));
    // the committed files and the registered ones are still there and readable
    let snapshots = json(&["show", "sales", "copy", "--snapshots"]);
    assert_eq!(snapshots[0]["total_rows"], 3000);
    json(&["unregister", "sales", "trips"]);
    let again = json(&["register", "sales", "trips2", &incoming]);
    assert_eq!(again["columns"].as_array().unwrap().len(), 8);
}
