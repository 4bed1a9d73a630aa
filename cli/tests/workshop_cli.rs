//! A job's life through the `aftersales` command line, against the real reception and workshop binaries: the
//! catalogue operation added, a technician registered, trained and put on shift, an order created and approved;
//! then its job queued with a suggestion, assigned, started by the technician acting as their own subject,
//! clocked, noted, delayed, self-checked, failed at inspection, reworked, passed, washed and ready — and counted
//! by the KPIs. Exit codes as documented: 0 done, 1 the service refused, 2 the command line is wrong.

use std::net::TcpListener;
use std::process::Output;
use std::time::Duration;

use aftersales_e2e::{Backend, Suite, SuiteOptions, wait};
use serde_json::Value;

/// The technician's staff subject.
const TECHNICIAN: &str = "tech-li";

/// Two free consecutive ports for reception and workshop: the CLI finds workshop at `--port-base` + 1.
fn free_port_pair() -> u16 {
    for _ in 0..100 {
        let first = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = first.local_addr().expect("address").port();
        if port < u16::MAX && TcpListener::bind(("127.0.0.1", port + 1)).is_ok() {
            return port;
        }
    }
    panic!("no two free consecutive ports");
}

/// The built CLI, calling the suite's services as dealer staff of `dealer`.
struct Cli {
    data_dir: String,
    port_base: u16,
    dealer: String,
}

impl Cli {
    async fn run(&self, args: &[&str]) -> Output {
        tokio::process::Command::new(env!("CARGO_BIN_EXE_aftersales"))
            .args(args)
            .env("AFTERSALES_DATA_DIR", &self.data_dir)
            .env("AFTERSALES_PORT_BASE", self.port_base.to_string())
            .env("AFTERSALES_DEALER", &self.dealer)
            .env("USER", "cli-test")
            .env_remove("AFTERSALES_TOKEN")
            .output()
            .await
            .expect("run aftersales")
    }

    /// Runs a command that must succeed; its stdout.
    async fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args).await;
        let stdout = String::from_utf8_lossy(&output.stdout).to_string();
        assert!(
            output.status.success(),
            "aftersales {args:?} failed ({}):\n{stdout}{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        stdout
    }

    /// Runs a command with `--json` that must succeed; its first object.
    async fn json(&self, args: &[&str]) -> Value {
        let args: Vec<&str> = args.iter().copied().chain(["--json"]).collect();
        let stdout = self.ok(&args).await;
        serde_json::from_str(stdout.lines().next().unwrap_or("null")).expect("JSON output")
    }

    /// Runs a command that must fail; its exit code and stderr.
    async fn fails(&self, args: &[&str]) -> (i32, String) {
        let output = self.run(args).await;
        assert!(!output.status.success(), "aftersales {args:?} succeeded");
        (output.status.code().unwrap_or(-1), String::from_utf8_lossy(&output.stderr).to_string())
    }
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_else(|| panic!("not a string: {value}")).to_string()
}

async fn a_job_life_through_the_cli(backend: Backend) {
    let port_base = free_port_pair();
    let options = SuiteOptions::default()
        .with_for("reception", "AFTERSALES__SERVER__PORT", &port_base.to_string())
        .with_for("workshop", "AFTERSALES__SERVER__PORT", &(port_base + 1).to_string());
    let Some(suite) = Suite::start(backend, &["reception", "workshop"], options).await else {
        return;
    };
    let cli = Cli { data_dir: suite.data_dir(), port_base, dealer: aftersales_kernel::DealerId::new().to_string() };

    // The crew: a technician trained for the catalogue's engine operations (the suite starts with ENG-0420 in
    // workshop's catalogue and reception's copy) and on shift; the OEM adds another operation.
    let op = ["workshop", "operations", "add", "ENG-0430", "--name", "Replace water pump", "--family", "engine"];
    let added = cli.json(&[&op[..], &["--level", "2", "--hours", "1.5"]].concat()).await;
    assert_eq!((text(&added["code"]), added["active"].clone()), ("ENG-0430".into(), Value::Bool(true)));
    let technician = cli.json(&["technicians", "register", "--subject", TECHNICIAN, "--name", "Li Wei"]).await;
    let technician = text(&technician["id"]);
    let trained = cli
        .json(&[
            "technicians",
            "train",
            &technician,
            "--course",
            "ENG-L3",
            "--family",
            "engine",
            "--level",
            "3",
            "--on",
            "2026-03-01",
            "--passed",
        ])
        .await;
    assert_eq!(trained["skills"][0]["level"], 3);
    assert_eq!(cli.json(&["technicians", "shift", &technician, "--on"]).await["on_shift"], true);
    let settings = cli.json(&["workshop", "settings"]).await;
    assert_eq!((settings["automatic_assignment"].clone(), text(&settings["etag"])), (Value::Bool(false), "0".into()));

    // Reception: an order approved becomes a queued job.
    let order = cli
        .json(&[
            "orders",
            "create",
            "--vin",
            "1M8GDM9AXKP042788",
            "--mileage",
            "42000",
            "--fault",
            "will not start",
            "--labour",
            "ENG-0420:1.5:80.00",
        ])
        .await;
    let order = text(&order["id"]);
    cli.ok(&["orders", "approve", &order, "--by", "Li Wei", "--signature", "sig://desk/1"]).await;
    let job = wait::until(Duration::from_secs(15), "the job of the approved order", || async {
        let stdout = cli.ok(&["jobs", "list", "--order", &order, "--json"]).await;
        stdout.lines().next().map(|line| serde_json::from_str::<Value>(line).expect("JSON"))
    })
    .await;
    let job = text(&job["id"]);

    // The foreman sees the queue with the suggestion, and accepts it.
    let queued = cli.json(&["jobs", "queue"]).await;
    assert_eq!(
        (text(&queued["job"]["id"]), text(&queued["suggestion"]["technician_id"])),
        (job.clone(), technician.clone())
    );
    let assigned = cli.json(&["jobs", "assign", &job, "--technician", &technician]).await;
    assert_eq!(assigned["assignments"][0]["kind"], "ASSIGNMENT_KIND_SUGGESTION_ACCEPTED");

    // The technician works it, as their own subject (anyone else is refused).
    let (code, stderr) = cli.fails(&["jobs", "start", &job]).await;
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("PERMISSION_DENIED") && stderr.contains("--subject"), "{stderr}");
    let me = ["--subject", TECHNICIAN];
    let started = cli.json(&[&["jobs", "start", &job][..], &me].concat()).await;
    assert_eq!(started["state"], "JOB_STATE_IN_PROGRESS");
    let line = text(&started["operations"][0]["line_id"]);
    let work = |args: &[&str]| [&["jobs"][..], args, &me].concat().iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let until = (chrono::Utc::now() + chrono::Duration::days(3)).to_rfc3339();
    for step in [
        work(&["clock-on", &job, "--line", &line]),
        work(&["progress", &job, "--note", "timing belt worn; replacing", "--media", "s3://dealer/belt.jpg"]),
        work(&["delay", &job, "--until", &until, "--reason", "belt on back order"]),
        work(&["clock-off", &job]),
        work(&["self-check", &job, "--note", "tension checked"]),
    ] {
        cli.ok(&step.iter().map(String::as_str).collect::<Vec<_>>()).await;
    }

    // Quality: a verdict is required; a failure sends it back for rework, which must be clocked again.
    assert_eq!(cli.fails(&["jobs", "inspect", &job]).await.0, 2);
    let failed = cli.json(&["jobs", "inspect", &job, "--fail", "--findings", "belt tension too low"]).await;
    assert_eq!((failed["state"].clone(), failed["rework_count"].clone()), ("JOB_STATE_REWORK".into(), 1.into()));
    let self_check = work(&["self-check", &job]);
    let (code, stderr) = cli.fails(&self_check.iter().map(String::as_str).collect::<Vec<_>>()).await;
    assert!(code == 1 && stderr.contains("JOB_REWORK_NOT_CLOCKED"), "{stderr}");
    for step in [work(&["clock-on", &job, "--line", &line]), work(&["clock-off", &job]), self_check] {
        cli.ok(&step.iter().map(String::as_str).collect::<Vec<_>>()).await;
    }
    cli.ok(&["jobs", "inspect", &job, "--pass"]).await;
    let ready = cli.json(&["jobs", "wash", &job]).await;
    assert_eq!(ready["state"], "JOB_STATE_READY");

    // The whole story reads back, and the KPIs count it.
    let story = cli.ok(&["jobs", "get", &job]).await;
    for expected in [
        "READY",
        "1 failed inspection(s)",
        "suggestion_accepted",
        "timing belt worn; replacing",
        "belt on back order",
        "FAILED by cli-test: belt tension too low",
        "PASSED by cli-test",
        "  rework",
    ] {
        assert!(story.contains(expected), "{expected:?} missing from:\n{story}");
    }
    let kpis = cli.json(&["jobs", "kpis"]).await;
    assert_eq!((kpis["overall"]["jobs_ready"].clone(), kpis["overall"]["jobs_reworked"].clone()), (1.into(), 1.into()));
    assert!(cli.ok(&["jobs", "kpis"]).await.contains("100.00 % (1 of 1)"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_job_life_through_the_cli_on_sqlite() {
    a_job_life_through_the_cli(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_job_life_through_the_cli_on_postgres() {
    a_job_life_through_the_cli(Backend::Postgres).await;
}
