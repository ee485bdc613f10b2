//! A loopback TCP proxy in front of a real ZooKeeper server that can lose one reply: armed with
//! a set of request op codes, it forwards the next such request, lets the server apply it, and
//! then cuts the connection without passing the reply back. The client sees a connection loss
//! for a write that did apply: the "unknown outcome" that commits must settle by reading back.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// ZooKeeper request op codes (jute `OpCode`).
pub const OP_CREATE: i32 = 1;
pub const OP_DELETE: i32 = 2;
pub const OP_SET_DATA: i32 = 5;
pub const OP_MULTI: i32 = 14;
pub const OP_CREATE2: i32 = 15;

pub struct LostReplyProxy {
    pub port: u16,
    armed: Arc<Mutex<Vec<i32>>>,
    fired: Arc<AtomicUsize>,
}

impl LostReplyProxy {
    pub fn start(upstream_port: u16) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let armed: Arc<Mutex<Vec<i32>>> = Arc::default();
        let fired: Arc<AtomicUsize> = Arc::default();
        let (a, f) = (armed.clone(), fired.clone());
        thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let Ok(server) = TcpStream::connect(("127.0.0.1", upstream_port)) else {
                    continue;
                };
                relay(client, server, a.clone(), f.clone());
            }
        });
        LostReplyProxy { port, armed, fired }
    }

    pub fn connect_string(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The next request with one of `ops` is applied by the server but its reply is lost.
    pub fn lose_next_reply(&self, ops: &[i32]) {
        *self.armed.lock().unwrap() = ops.to_vec();
    }

    /// How many replies were lost so far.
    pub fn fired(&self) -> usize {
        self.fired.load(Ordering::SeqCst)
    }
}

fn relay(
    client: TcpStream,
    server: TcpStream,
    armed: Arc<Mutex<Vec<i32>>>,
    fired: Arc<AtomicUsize>,
) {
    let doomed = Arc::new(AtomicBool::new(false));
    let (mut c_in, mut s_out) = (client.try_clone().unwrap(), server.try_clone().unwrap());
    let (c_out, s_in) = (client, server);
    let d = doomed.clone();
    // server -> client: bytes pass until the connection is doomed, then nothing does
    let (mut s_read, mut c_write) = (s_in.try_clone().unwrap(), c_out.try_clone().unwrap());
    thread::spawn(move || {
        let mut buf = [0u8; 65536];
        while let Ok(n) = s_read.read(&mut buf) {
            if n == 0 || d.load(Ordering::SeqCst) || c_write.write_all(&buf[..n]).is_err() {
                break;
            }
        }
    });
    // client -> server: whole frames, so that requests can be recognized by op code
    thread::spawn(move || {
        let mut first = true;
        while let Some(frame) = read_frame(&mut c_in) {
            // the first frame is the session handshake; requests start with xid, op code
            let op = if first || frame.len() < 12 {
                None
            } else {
                Some(i32::from_be_bytes(frame[8..12].try_into().unwrap()))
            };
            first = false;
            let lose = op.is_some_and(|op| {
                let mut armed = armed.lock().unwrap();
                let hit = armed.contains(&op);
                if hit {
                    armed.clear();
                }
                hit
            });
            if lose {
                doomed.store(true, Ordering::SeqCst);
            }
            if s_out.write_all(&frame).is_err() {
                break;
            }
            if lose {
                // let the server apply it, then drop both sides with the reply unsent
                thread::sleep(Duration::from_millis(300));
                fired.fetch_add(1, Ordering::SeqCst);
                let _ = s_in.shutdown(Shutdown::Both);
                let _ = c_out.shutdown(Shutdown::Both);
                break;
            }
        }
        let _ = s_in.shutdown(Shutdown::Both);
        let _ = c_out.shutdown(Shutdown::Both);
    });
}

/// One length-prefixed jute frame, prefix included.
fn read_frame(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut len = [0u8; 4];
    stream.read_exact(&mut len).ok()?;
    let n = i32::from_be_bytes(len);
    if !(0..=16 << 20).contains(&n) {
        return None;
    }
    let mut frame = len.to_vec();
    frame.resize(4 + n as usize, 0);
    stream.read_exact(&mut frame[4..]).ok()?;
    Some(frame)
}
