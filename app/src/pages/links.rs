//! Links that keep a page's filters: export links, next- and older-page links. Filters are
//! plain GET forms, so such a link carries the form's query again, percent-encoded — a
//! value typed by a person (a subject, a repository) may hold `&`, `=` or spaces.

use leptos_router::params::ParamsMap;

/// `field=value` for each of `fields` that has a non-empty value in `query`, in the order
/// of `fields`, values percent-encoded.
pub fn kept_filters(query: &ParamsMap, fields: &[&str]) -> Vec<String> {
    fields
        .iter()
        .filter_map(|f| {
            query
                .get(f)
                .filter(|v| !v.is_empty())
                .map(|v| format!("{f}={}", urlencode(&v)))
        })
        .collect()
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_given_filters_in_order_encoded_and_skips_empty_ones() {
        let mut q = ParamsMap::new();
        q.insert("subject", "change:7 & more".to_owned());
        q.insert("action", String::new());
        q.insert("status", "pending".to_owned());
        q.insert("other", "ignored".to_owned());
        assert_eq!(
            kept_filters(&q, &["status", "action", "subject"]),
            ["status=pending", "subject=change%3A7%20%26%20more"]
        );
        assert!(kept_filters(&ParamsMap::new(), &["status"]).is_empty());
    }

    #[test]
    fn multibyte_values_are_encoded_byte_by_byte() {
        let mut q = ParamsMap::new();
        q.insert("repository", "é/x~y".to_owned());
        assert_eq!(
            kept_filters(&q, &["repository"]),
            ["repository=%C3%A9%2Fx~y"]
        );
    }
}
