//! A real Postfix for tests: the relay dsr submits to, on a free loopback
//! port, with its own config, queue and data directories in a temp dir,
//! delivering the company's and the sender's domain to Maildirs there.
//!
//! Real delivery status notifications come from Postfix itself:
//!
//! | recipient (local part) | what Postfix does | DSN to the sender |
//! |---|---|---|
//! | any listed mailbox (e.g. `privacy`) | delivers to its Maildir | `delivered` (NOTIFY=SUCCESS) |
//! | `bounce` | accepts, then local(8) finds no such user (5.1.1) | `failed` |
//! | `delay` | accepts, then its next hop (a closed loopback port) refuses the connection | `delayed` (after `delay_warning_time` = 1s) |
//!
//! With [`Setup`], a mailbox can be delivered into a Maildir outside the
//! temp dir (the one a test's Dovecot serves: issue 15's acceptance path),
//! and the first domain's mail can go over SMTP to a second listener, the
//! company's "MX" without DSN: the success report is then `relayed`, with
//! the MX as Remote-MTA and its `250` as Diagnostic-Code.
//!
//! Needs root (Postfix's master runs as root and drops to `postfix`) and
//! the Debian package `postfix` (scripts/test installs it). A start or
//! wait that fails panics with Postfix's own log (`maillog_file`).
//! `Drop` stops the instance (`postfix -c DIR stop`).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const POSTFIX: &str = "/usr/sbin/postfix";

/// A running Postfix instance. See the module docs.
pub struct Postfix {
    dir: tempfile::TempDir,
    port: u16,
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    l.local_addr().expect("local address").port()
}

fn id(flag: &str) -> String {
    let out = Command::new("id").args([flag, "postfix"]).output().expect("run id");
    assert!(out.status.success(), "no 'postfix' user: install Postfix with `sudo apt-get install postfix`");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// How [`Postfix::start_with`] delivers, beyond [`Postfix::start`].
#[derive(Default)]
pub struct Setup<'a> {
    /// Mailboxes delivered into an existing Maildir instead of one under
    /// Postfix's temp dir: (address, the Maildir, its owner's uid and gid),
    /// e.g. the Maildir a test's Dovecot serves.
    pub into: Vec<(&'a str, PathBuf, (u32, u32))>,
    /// The first domain's mail goes over SMTP to a second listener of this
    /// instance (the company's "MX", which offers no DSN and delivers to
    /// the Maildirs), so the relay's success report is `relayed` with the
    /// MX's name and its 250 reply (Remote-MTA, Diagnostic-Code).
    pub via_mx: bool,
}

impl Postfix {
    /// Starts Postfix delivering `mailboxes` (full addresses, in the
    /// domains `domains`) plus `bounce@` and `delay@` of the first domain.
    pub fn start(domains: &[&str], mailboxes: &[&str]) -> Postfix {
        Postfix::start_with(domains, mailboxes, &Setup::default())
    }

    /// As [`Postfix::start`], with `setup`.
    pub fn start_with(domains: &[&str], mailboxes: &[&str], setup: &Setup<'_>) -> Postfix {
        assert!(
            Path::new(POSTFIX).exists(),
            "the delivery-report tests need Postfix: `sudo apt-get install postfix` (scripts/test installs it as root)"
        );
        let uid = Command::new("id").arg("-u").output().expect("run id");
        assert_eq!(
            String::from_utf8_lossy(&uid.stdout).trim(),
            "0",
            "the Postfix tests must run as root (Postfix's master needs it); run ./scripts/test as root, as CI does"
        );
        let dir = tempfile::Builder::new().prefix("dsr-postfix-").tempdir().expect("temp dir");
        let root = dir.path();
        for d in ["conf", "queue", "data", "mail"] {
            std::fs::create_dir_all(root.join(d)).expect("mkdir");
        }
        let (puid, pgid) = (id("-u"), id("-g"));
        // Postfix's daemons (as postfix) reach the queue through the temp
        // dir, own the data directory, and write the Maildirs.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).expect("chmod the temp dir");
        for d in ["mail", "data"] {
            let chown = Command::new("chown").args(["-R", &format!("{puid}:{pgid}")]).arg(root.join(d)).status();
            assert!(chown.is_ok_and(|s| s.success()), "chown {d}");
        }
        let first = domains[0];
        let mut vmailbox = String::new();
        for m in
            mailboxes.iter().copied().chain([format!("bounce@{first}").as_str(), format!("delay@{first}").as_str()])
        {
            let (local, domain) = m.split_once('@').expect("a full address");
            vmailbox.push_str(&format!("{m} {domain}/{local}/\n"));
        }
        std::fs::write(root.join("conf/vmailbox"), vmailbox).expect("write vmailbox");
        // A mailbox delivered elsewhere: its directory under mail/ is a
        // link to that Maildir, written as the Maildir's owner.
        let (mut uids, mut gids) = (String::new(), String::new());
        for (address, maildir, (uid, gid)) in &setup.into {
            let (local, domain) = address.split_once('@').expect("a full address");
            let parent = root.join("mail").join(domain);
            std::fs::create_dir_all(&parent).expect("mkdir");
            let chown = Command::new("chown").arg(format!("{puid}:{pgid}")).arg(&parent).status();
            assert!(chown.is_ok_and(|s| s.success()), "chown {}", parent.display());
            std::os::unix::fs::symlink(maildir, parent.join(local)).expect("link the Maildir");
            uids.push_str(&format!("{address} {uid}\n"));
            gids.push_str(&format!("{address} {gid}\n"));
        }
        std::fs::write(root.join("conf/uids"), uids).expect("write uids");
        std::fs::write(root.join("conf/gids"), gids).expect("write gids");
        // Postfix's smtpd refuses at RCPT what the error and retry
        // transports would get, so the test cases take real paths: local(8)
        // has no user 'bounce' (a bounce after acceptance), and nothing
        // listens where delay@'s next hop is (deferred).
        let closed = free_port();
        let mx = free_port();
        let mx_route = if setup.via_mx { format!("{first} smtp:[127.0.0.1]:{mx}\n") } else { String::new() };
        std::fs::write(
            root.join("conf/transport"),
            format!(
                "bounce@{first} local:\n\
                 delay@{first} smtp:[127.0.0.1]:{closed}\n\
                 {mx_route}"
            ),
        )
        .expect("write transport");
        let port = free_port();
        let r = root.display();
        let name = root.file_name().expect("temp dir name").to_string_lossy().to_ascii_lowercase().replace('_', "-");
        let main_cf = format!(
            "compatibility_level = 3.6\n\
             queue_directory = {r}/queue\n\
             data_directory = {r}/data\n\
             meta_directory = /etc/postfix\n\
             mail_owner = postfix\n\
             setgid_group = postdrop\n\
             myhostname = {name}.relay.example\n\
             mydomain = relay.example\n\
             myorigin = $myhostname\n\
             mydestination =\n\
             inet_interfaces = 127.0.0.1\n\
             inet_protocols = ipv4\n\
             mynetworks = 127.0.0.0/8\n\
             smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination\n\
             alias_maps =\n\
             alias_database =\n\
             virtual_mailbox_domains = {domains}\n\
             virtual_mailbox_base = {r}/mail\n\
             virtual_mailbox_maps = texthash:{r}/conf/vmailbox\n\
             virtual_uid_maps = texthash:{r}/conf/uids, static:{puid}\n\
             virtual_gid_maps = texthash:{r}/conf/gids, static:{pgid}\n\
             transport_maps = texthash:{r}/conf/transport\n\
             maillog_file = {r}/maillog\n\
             maillog_file_prefixes = {r}\n\
             delay_warning_time = 1s\n\
             queue_run_delay = 1s\n\
             minimal_backoff_time = 1s\n\
             maximal_backoff_time = 2s\n\
             smtputf8_enable = no\n\
             biff = no\n\
             smtpd_banner = $myhostname ESMTP\n",
            domains = domains.join(", "),
        );
        std::fs::write(root.join("conf/main.cf"), main_cf).expect("write main.cf");
        // The company's MX: its own name (else the relay's smtp client
        // sees its own greeting and refuses the loop), no DSN, and what it
        // takes goes straight to the Maildirs (not back through the route
        // above).
        let mx_cf = if setup.via_mx {
            format!(
                "127.0.0.1:{mx} inet n - n - - smtpd -o myhostname=mx.{first} -o smtpd_discard_ehlo_keywords=dsn \
                 -o content_filter=virtual:{first}\n"
            )
        } else {
            String::new()
        };
        let master_cf = format!(
            "{mx_cf}127.0.0.1:{port} inet n - n - - smtpd\n\
             pickup unix n - n 60 1 pickup\n\
             cleanup unix n - n - 0 cleanup\n\
             qmgr unix n - n 300 1 qmgr\n\
             rewrite unix - - n - - trivial-rewrite\n\
             bounce unix - - n - 0 bounce\n\
             defer unix - - n - 0 bounce\n\
             trace unix - - n - 0 bounce\n\
             verify unix - - n - 1 verify\n\
             flush unix n - n 1000? 0 flush\n\
             proxymap unix - - n - - proxymap\n\
             proxywrite unix - - n - 1 proxymap\n\
             smtp unix - - n - - smtp\n\
             relay unix - - n - - smtp\n\
             showq unix n - n - - showq\n\
             error unix - - n - - error\n\
             retry unix - - n - - error\n\
             discard unix - - n - - discard\n\
             local unix - n n - - local\n\
             virtual unix - n n - - virtual\n\
             anvil unix - - n - 1 anvil\n\
             scache unix - - n - 1 scache\n\
             postlog unix-dgram n - n - 1 postlogd\n"
        );
        std::fs::write(root.join("conf/master.cf"), master_cf).expect("write master.cf");
        let pf = Postfix { dir, port };
        let out = pf.postfix("start");
        assert!(
            out.status.success(),
            "postfix start failed:\n{}{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            pf.log()
        );
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "Postfix did not listen on 127.0.0.1:{port}:\n{}", pf.log());
            std::thread::sleep(Duration::from_millis(50));
        }
        pf
    }

    fn postfix(&self, command: &str) -> std::process::Output {
        Command::new(POSTFIX).arg("-c").arg(self.dir.path().join("conf")).arg(command).output().expect("run postfix")
    }

    /// The SMTP port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Submits `message` (CRLF line ends) to this Postfix over SMTP, as a
    /// company's server or mail client would send it to the sender.
    pub fn submit(&self, from: &str, to: &str, message: &str) {
        use std::io::{BufRead, BufReader, Write};
        let stream = std::net::TcpStream::connect(("127.0.0.1", self.port)).expect("connect to Postfix");
        stream.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
        let mut reader = BufReader::new(stream.try_clone().expect("clone"));
        let mut w = stream;
        let expect = |code: &str, reader: &mut BufReader<std::net::TcpStream>| loop {
            let mut line = String::new();
            reader.read_line(&mut line).expect("read Postfix's reply");
            assert!(line.starts_with(code), "Postfix answered {line:?}, expected {code}:\n{}", self.log());
            if line.as_bytes().get(3) != Some(&b'-') {
                break;
            }
        };
        expect("220", &mut reader);
        for (command, code) in [
            ("EHLO client.example".to_string(), "250"),
            (format!("MAIL FROM:<{from}>"), "250"),
            (format!("RCPT TO:<{to}>"), "250"),
            ("DATA".to_string(), "354"),
        ] {
            write!(w, "{command}\r\n").expect("write to Postfix");
            expect(code, &mut reader);
        }
        let body = message.replace("\r\n.", "\r\n..");
        write!(w, "{body}\r\n.\r\n").expect("write the message");
        expect("250", &mut reader);
        write!(w, "QUIT\r\n").expect("write to Postfix");
    }

    /// Postfix's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("maillog")).unwrap_or_else(|e| format!("(no maillog: {e})"))
    }

    /// The `new/` directory of `address`'s Maildir.
    pub fn maildir(&self, address: &str) -> PathBuf {
        let (local, domain) = address.split_once('@').expect("a full address");
        self.dir.path().join("mail").join(domain).join(local).join("new")
    }

    /// Waits until `address`'s Maildir holds at least `n` messages whose
    /// text contains `containing`; returns their paths, sorted. Panics with
    /// Postfix's log after 60 s.
    pub fn wait_for(&self, address: &str, n: usize, containing: &str) -> Vec<PathBuf> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            // new/ and cur/ (an IMAP server that saw a message moves it).
            let cur = self.maildir(address).with_file_name("cur");
            let mut found: Vec<PathBuf> = [self.maildir(address), cur]
                .iter()
                .flat_map(|d| std::fs::read_dir(d).into_iter().flatten().filter_map(|e| e.ok().map(|e| e.path())))
                .collect();
            found.retain(|p| std::fs::read(p).is_ok_and(|b| String::from_utf8_lossy(&b).contains(containing)));
            found.sort();
            if found.len() >= n {
                return found;
            }
            assert!(
                Instant::now() < deadline,
                "{address}: {} of {n} message(s) containing {containing:?} after 60 s; Postfix's log:\n{}",
                found.len(),
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Postfix {
    fn drop(&mut self) {
        let out = self.postfix("stop");
        if !out.status.success() {
            let _ = self.postfix("abort");
        }
    }
}
