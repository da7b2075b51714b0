//! Lines of bounded length from a stream (JSON Lines input, batch
//! queries): a line longer than the limit is read to its end but not kept,
//! so memory stays bounded whatever the input, `/dev/zero` included.

use std::io::{self, BufRead};

/// What [`read_line`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line {
    /// A line is in the buffer (without its `\n`); `bytes` were read.
    Kept {
        /// Bytes consumed, line end included.
        bytes: u64,
    },
    /// A line longer than the limit was skipped; the buffer is empty.
    TooLong {
        /// Bytes consumed, line end included.
        bytes: u64,
    },
    /// End of input.
    End,
}

/// Reads the next line into `buf` (cleared first), keeping at most `max`
/// bytes of it: a longer line is consumed to its end and reported as
/// [`Line::TooLong`].
pub fn read_line(reader: &mut dyn BufRead, buf: &mut Vec<u8>, max: usize) -> io::Result<Line> {
    buf.clear();
    let mut bytes = 0u64;
    let mut too_long = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(a) => a,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            break;
        }
        let (chunk, done) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (&available[..=i], true),
            None => (available, false),
        };
        let n = chunk.len();
        if !too_long {
            if buf.len() + n > max.saturating_add(1) {
                too_long = true;
                buf.clear();
                buf.shrink_to(1 << 16);
            } else {
                buf.extend_from_slice(chunk);
            }
        }
        reader.consume(n);
        bytes += n as u64;
        if done {
            break;
        }
    }
    if bytes == 0 {
        return Ok(Line::End);
    }
    if buf.last() == Some(&b'\n') {
        buf.pop();
    }
    if too_long || buf.len() > max {
        buf.clear();
        return Ok(Line::TooLong { bytes });
    }
    Ok(Line::Kept { bytes })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(input: &[u8], max: usize) -> Vec<(Line, Vec<u8>)> {
        let mut reader = io::BufReader::with_capacity(4, input);
        let mut buf = Vec::new();
        let mut out = Vec::new();
        loop {
            let line = read_line(&mut reader, &mut buf, max).unwrap();
            if line == Line::End {
                return out;
            }
            out.push((line, buf.clone()));
        }
    }

    #[test]
    fn long_lines_are_skipped_and_the_rest_is_read() {
        let lines = all(b"abc\nabcdefgh\n\nabcd\nxy", 4);
        assert_eq!(
            lines,
            [
                (Line::Kept { bytes: 4 }, b"abc".to_vec()),
                (Line::TooLong { bytes: 9 }, Vec::new()),
                (Line::Kept { bytes: 1 }, Vec::new()),
                (Line::Kept { bytes: 5 }, b"abcd".to_vec()),
                (Line::Kept { bytes: 2 }, b"xy".to_vec()),
            ]
        );
    }
}
