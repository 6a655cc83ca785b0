//! Which port `qingdan start` serves on. A clerk double-clicks again when the browser tab was
//! closed: the page is still served, and the browser is only to be opened at it again. Any other
//! program on the port is left alone, and the page goes to a free port.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

/// What every page of the web server shows in its title (`serve/templates/base.html`).
const MARK: &str = "qingdan 清单";

/// The port to serve on, or the address of the qingdan page already served on it.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Choice {
    /// Serve on this port (0: any free one).
    Free(u16),
    /// A qingdan page answers at this address.
    Served(String),
}

/// The port asked for when it is free, the page on it when it is a qingdan page, else any free
/// port.
pub(super) fn choose(port: u16) -> Choice {
    if port == 0 || TcpListener::bind((Ipv4Addr::LOCALHOST, port)).is_ok() {
        Choice::Free(port)
    } else if answers_as_qingdan(port) {
        Choice::Served(format!("http://127.0.0.1:{port}/"))
    } else {
        Choice::Free(0)
    }
}

/// Whether the server on `port` of this computer answers its home page as a qingdan page. It
/// may be building its projects before it answers (a big batch takes a while): the answer is
/// waited for a minute.
fn answers_as_qingdan(port: u16) -> bool {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let Ok(mut stream) = TcpStream::connect_timeout(&address, Duration::from_secs(2)) else {
        return false;
    };
    let request = format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .is_err()
        || stream.write_all(request.as_bytes()).is_err()
    {
        return false;
    }
    let mut page = Vec::new();
    // What was read before a timeout or a reset is judged as it is.
    let _ = stream.take(1 << 16).read_to_end(&mut page);
    let page = String::from_utf8_lossy(&page);
    page.starts_with("HTTP/1.1 200") && page.contains(MARK)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A server on a free port that answers every request with `answer`.
    fn answering(answer: &'static str) -> u16 {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for mut stream in listener.incoming().map_while(Result::ok) {
                let mut request = [0u8; 1024];
                let _ = stream.read(&mut request);
                let _ = stream.write_all(answer.as_bytes());
            }
        });
        port
    }

    #[test]
    fn a_qingdan_page_on_the_port_is_opened_again() {
        let port = answering(
            "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\n\r\n<title>qingdan 清单</title>",
        );
        assert_eq!(
            choose(port),
            Choice::Served(format!("http://127.0.0.1:{port}/"))
        );
    }

    #[test]
    fn another_program_on_the_port_is_left_alone() {
        let port = answering("HTTP/1.1 200 OK\r\n\r\n<title>其他</title>");
        assert_eq!(choose(port), Choice::Free(0));
        let port = answering("SSH-2.0-OpenSSH_9.2\r\n");
        assert_eq!(choose(port), Choice::Free(0));
    }

    #[test]
    fn a_free_port_is_taken() {
        let port = {
            let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
            listener.local_addr().unwrap().port()
        };
        assert_eq!(choose(port), Choice::Free(port));
        assert_eq!(choose(0), Choice::Free(0));
    }
}
