//! A real IMAP server for tests: Dovecot (`dovecot -F -c CONF`) in a child
//! process, with its own base, state and mail directories in a temp dir,
//! on free loopback ports: IMAPS and IMAP with STARTTLS (required before
//! login), a certificate made at start with the openssl command, one
//! passwd-file user and a Maildir.
//!
//! Messages are put in the mailbox by writing files into `Maildir/new`
//! ([`Dovecot::deliver`]), as a local delivery agent does. `Drop` kills
//! the server by its own PID.

#![allow(dead_code)]

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The test user's name and password.
pub const USER: &str = "dpo";
/// The test user's password.
pub const PASSWORD: &str = "imap-test-pw";

/// A running Dovecot. See the module docs.
pub struct Dovecot {
    child: Child,
    dir: tempfile::TempDir,
    /// The IMAPS port.
    pub imaps_port: u16,
    /// The STARTTLS port.
    pub imap_port: u16,
    delivered: std::cell::Cell<u32>,
    owner: (u32, u32),
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Dovecot's binary: on PATH, else where Debian puts it (/usr/sbin is not
/// on every user's PATH).
fn dovecot_bin() -> String {
    let sbin = "/usr/sbin/dovecot";
    if Path::new(sbin).exists() { sbin.to_string() } else { "dovecot".to_string() }
}

fn need(program: &str) {
    if Command::new(program).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_err() {
        panic!(
            "the IMAP tests need Dovecot (`{program}`): install it with `sudo apt-get install dovecot-imapd` \
             (scripts/test does it when run as root)"
        );
    }
}

impl Dovecot {
    /// Starts Dovecot and waits until both ports greet.
    pub fn start() -> Dovecot {
        let bin = dovecot_bin();
        need(&bin);
        let dir = tempfile::tempdir().expect("temp dir");
        let d = dir.path();
        for sub in ["run", "state", "home/dpo/Maildir/new", "home/dpo/Maildir/cur", "home/dpo/Maildir/tmp"] {
            std::fs::create_dir_all(d.join(sub)).unwrap();
        }
        let out = Command::new("openssl")
            .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost"])
            .arg("-keyout")
            .arg(d.join("key.pem"))
            .arg("-out")
            .arg(d.join("cert.pem"))
            .args([
                "-addext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-addext",
                "basicConstraints=critical,CA:FALSE",
                "-addext",
                "keyUsage=digitalSignature,keyEncipherment",
                "-addext",
                "extendedKeyUsage=serverAuth",
            ])
            .output()
            .expect("the openssl command makes the test certificate");
        assert!(out.status.success(), "openssl: {}", String::from_utf8_lossy(&out.stderr));
        std::fs::write(d.join("passwd"), format!("{USER}:{{PLAIN}}{PASSWORD}::::::\n")).unwrap();
        let (mut uid, mut gid) = (id("-u"), id("-g"));
        // Dovecot runs its login and internal processes as the current
        // user, except as root (CI), where they must not be root: then as
        // the unprivileged users its Debian package creates, which need
        // to reach the temp dir.
        let (login_user, internal_user, internal_group) = if uid == "0" {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).unwrap();
            // Nor may mail be read as root: the mail user is `dovecot` too.
            (uid, gid) = (id_of("-u", "dovecot"), id_of("-g", "dovecot"));
            ("dovenull".to_string(), "dovecot".to_string(), "dovecot".to_string())
        } else {
            (id("-un"), id("-un"), id("-gn"))
        };
        let (imaps_port, imap_port) = (free_port(), free_port());
        let p = |rel: &str| d.join(rel).display().to_string();
        let conf = format!(
            r#"base_dir = {run}
state_dir = {state}
log_path = {log}
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{cert}
ssl_key = <{key}
disable_plaintext_auth = yes
auth_mechanisms = plain login
default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
first_valid_uid = {uid}
first_valid_gid = {gid}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {passwd}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={home}/%u
}}
mail_location = maildir:~/Maildir
namespace inbox {{
  inbox = yes
  mailbox Sent {{
    auto = create
    special_use = \Sent
  }}
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"#,
            run = p("run"),
            state = p("state"),
            log = p("dovecot.log"),
            cert = p("cert.pem"),
            key = p("key.pem"),
            passwd = p("passwd"),
            home = p("home"),
        );
        std::fs::write(d.join("dovecot.conf"), conf).unwrap();
        let child = Command::new(&bin)
            .arg("-F")
            .arg("-c")
            .arg(d.join("dovecot.conf"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("dovecot starts");
        let owner = (uid.parse().unwrap(), gid.parse().unwrap());
        let server = Dovecot { child, dir, imaps_port, imap_port, delivered: std::cell::Cell::new(0), owner };
        server.chown_all(&server.dir.path().join("home"));
        server.wait_ready();
        server
    }

    fn wait_ready(&self) {
        let start = Instant::now();
        for port in [self.imaps_port, self.imap_port] {
            loop {
                if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    break;
                }
                if start.elapsed() > Duration::from_secs(20) {
                    panic!("Dovecot did not listen on {port} within 20 s; its log:\n{}", self.log());
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }

    /// Dovecot's log.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("dovecot.log")).unwrap_or_default()
    }

    /// The certificate the server presents (the CA to trust).
    pub fn cert(&self) -> PathBuf {
        self.dir.path().join("cert.pem")
    }

    /// The server's dovecot.conf (for `doveadm -c`).
    pub fn conf(&self) -> PathBuf {
        self.dir.path().join("dovecot.conf")
    }

    /// The uid and gid the Maildir's files must have.
    pub fn owner(&self) -> (u32, u32) {
        self.owner
    }

    /// How many IMAP sessions ended so far (Dovecot's logout lines).
    pub fn sessions_ended(&self) -> usize {
        self.log().lines().filter(|l| l.contains("body_count=")).count()
    }

    /// How many message bodies the server sent in session number
    /// `ended` (1-based, as [`Dovecot::sessions_ended`] counts): the
    /// `body_count` of its logout line. Waits up to 10 s for the line.
    pub fn bodies_in_session(&self, ended: usize) -> u64 {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let log = self.log();
            if let Some(line) = log.lines().filter(|l| l.contains("body_count=")).nth(ended - 1) {
                let count =
                    line.split("body_count=").nth(1).and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next());
                return count.and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("no body_count in {line:?}"));
            }
            assert!(Instant::now() < deadline, "session {ended} did not end:\n{log}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The user's Maildir.
    pub fn maildir(&self) -> PathBuf {
        self.dir.path().join("home/dpo/Maildir")
    }

    /// Puts a message in the INBOX (a new file in `Maildir/new`).
    pub fn deliver(&self, bytes: &[u8]) {
        self.deliver_to(&self.maildir(), bytes);
    }

    /// Puts a message in a Maildir folder directory.
    pub fn deliver_to(&self, maildir: &Path, bytes: &[u8]) {
        let n = self.delivered.get() + 1;
        self.delivered.set(n);
        for sub in ["new", "cur", "tmp"] {
            std::fs::create_dir_all(maildir.join(sub)).unwrap();
        }
        let name = format!("{}.M{n}P{}.dsr-test", 1_700_000_000 + n, std::process::id());
        let tmp = maildir.join("tmp").join(&name);
        std::fs::write(&tmp, bytes).unwrap();
        let (uid, gid) = self.owner;
        for p in [maildir.to_path_buf(), maildir.join("new"), maildir.join("cur"), maildir.join("tmp"), tmp.clone()] {
            let _ = std::os::unix::fs::chown(p, Some(uid), Some(gid));
        }
        std::fs::rename(&tmp, maildir.join("new").join(&name)).unwrap();
    }

    /// Gives `path` and everything under it to the mail user.
    fn chown_all(&self, path: &Path) {
        let (uid, gid) = self.owner;
        let _ = std::os::unix::fs::chown(path, Some(uid), Some(gid));
        if path.is_dir() {
            for e in std::fs::read_dir(path).unwrap() {
                self.chown_all(&e.unwrap().path());
            }
        }
    }

    /// Makes the server forget the INBOX's UIDs: a new UIDVALIDITY, every
    /// message numbered anew (what a restored or migrated mailbox does).
    pub fn reset_uids(&self) {
        let md = self.maildir();
        for entry in std::fs::read_dir(&md).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if name.starts_with("dovecot") {
                let _ = std::fs::remove_file(&path);
            }
        }
        // The UIDVALIDITY is a timestamp: make sure the new one differs.
        std::thread::sleep(Duration::from_millis(1100));
    }

    /// The `[imap]` section for this server (`tls` "tls" or "starttls").
    pub fn config(&self, tls: &str) -> String {
        let port = if tls == "tls" { self.imaps_port } else { self.imap_port };
        format!(
            "\n[imap]\nhost = \"127.0.0.1\"\nport = {port}\ntls = \"{tls}\"\nusername = \"{USER}\"\n\
             password_env = \"DSR_IMAP_PASSWORD\"\nca_file = \"{}\"\ntimeout_secs = 10\n",
            self.cert().display()
        )
    }
}

fn id_of(flag: &str, user: &str) -> String {
    String::from_utf8(Command::new("id").arg(flag).arg(user).output().unwrap().stdout).unwrap().trim().to_string()
}

fn id(flag: &str) -> String {
    String::from_utf8(Command::new("id").arg(flag).output().unwrap().stdout).unwrap().trim().to_string()
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("--- Dovecot's log ---\n{}", self.log());
        }
        // SIGTERM lets the master stop its children; then make sure.
        let _ = Command::new("kill").arg(self.child.id().to_string()).status();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
