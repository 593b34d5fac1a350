//! [`Filters`]: the `filters` query parameter of list, prune and events operations, typed.

use std::collections::BTreeMap;
use std::fmt;

/// The `filters` parameter of list, prune and events operations (containers, images, volumes,
/// networks, events, build cache, …), the same for every API version.
///
/// Each filter is a key with one or more values. The daemon keeps what matches every key; of
/// one key's values, any one (`status` `running` *or* `paused`, `name` `a` *or* `b`), except
/// for labels, which must all match (`label` `tier=web` *and* `env`). Which keys an operation
/// takes is in its documentation; an unknown one is the daemon's `400` error, not ignored.
///
/// It is sent as JSON in the form every API version documents (a `map[string][]string`):
/// `{"label":["env","tier=web"],"status":["running"]}`, keys in alphabetical order, values in
/// the order they were added (each once). Daemons also read an older map form,
/// `{"status":{"running":true}}` (the v1.24 docs show it for the network list), but this is
/// the one every version from 1.24 on documents.
///
/// A generated `filters(..)` setter takes a `Filters` (or a `&Filters`) as it is: it converts
/// into the JSON `String` (`String::from(filters)`, also [`to_json`](Self::to_json) and
/// `Display`).
///
/// ```no_run
/// use docker_engine_api::{Docker, Filters, with_api};
///
/// # async fn demo(docker: Docker) -> Result<(), docker_engine_api::Error> {
/// let running_web = Filters::new().label("app=web").status("running");
/// assert_eq!(running_web.to_json(), r#"{"label":["app=web"],"status":["running"]}"#);
/// let containers = with_api!(docker.api(), async |client, _api| {
///     let list = docker.call(client.container_list().filters(&running_web).send()).await?;
///     Ok(list.iter().flatten().count())
/// })?;
/// println!("{containers} web containers running");
///
/// // Any key through `add`: `is-task` has no method of its own.
/// let not_swarm = Filters::new().status("exited").add("is-task", "false");
/// // Stopped web containers older than a day (prune takes `until` and labels only; the
/// // container prune is there from API 1.25 on).
/// let old_web = Filters::new().label("app=web").until("24h");
/// with_api!(docker.api(), since = 1.25, async |client, _api| {
///     docker.call(client.container_list().all(true).filters(not_swarm).send()).await?;
///     docker.call(client.container_prune().filters(old_web).send()).await?;
///     Ok(())
/// })?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    map: BTreeMap<String, Vec<String>>,
}

impl Filters {
    /// No filter: everything matches (serialized as `{}`).
    pub fn new() -> Filters {
        Filters::default()
    }

    /// Adds `value` to the values of `key`, any key the daemon knows (`is-task`, `publish`,
    /// `reference`, …). A value added twice is kept once.
    pub fn add(mut self, key: impl Into<String>, value: impl Into<String>) -> Filters {
        self.insert(key, value);
        self
    }

    /// [`add`](Self::add) through a reference, for filters built in a loop.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<String>) -> &mut Filters {
        let value = value.into();
        let values = self.map.entry(key.into()).or_default();
        if !values.contains(&value) {
            values.push(value);
        }
        self
    }

    /// `label`: `key` (the label is set, whatever its value) or `key=value`, as the CLI's
    /// `--filter label=…` takes it. Containers, images, volumes, networks, events, prune.
    pub fn label(self, label: impl Into<String>) -> Filters {
        self.add("label", label)
    }

    /// `label` with a key only: items that have the label `key`, whatever its value.
    pub fn label_key(self, key: impl Into<String>) -> Filters {
        self.label(key)
    }

    /// `label` `key=value`: items whose label `key` is `value`.
    pub fn label_pair(self, key: impl AsRef<str>, value: impl AsRef<str>) -> Filters {
        self.label(format!("{}={}", key.as_ref(), value.as_ref()))
    }

    /// `label!`: items *without* this label (`key` or `key=value`). Prune operations only (the
    /// lists refuse it).
    pub fn not_label(self, label: impl Into<String>) -> Filters {
        self.add("label!", label)
    }

    /// `name`: containers, volumes, networks… whose name contains `name` (the daemon reads it
    /// as a regular expression).
    pub fn name(self, name: impl Into<String>) -> Filters {
        self.add("name", name)
    }

    /// `id`: containers, networks… whose ID contains `id` (a prefix of the ID, usually).
    pub fn id(self, id: impl Into<String>) -> Filters {
        self.add("id", id)
    }

    /// `status` of a container: `created`, `restarting`, `running`, `removing`, `paused`,
    /// `exited` or `dead`.
    pub fn status(self, status: impl Into<String>) -> Filters {
        self.add("status", status)
    }

    /// `ancestor`: containers created from this image (name, `name:tag`, ID or digest) or a
    /// descendant of it.
    pub fn ancestor(self, image: impl Into<String>) -> Filters {
        self.add("ancestor", image)
    }

    /// `dangling`: untagged images, or volumes and networks that nothing uses (`true`); or only
    /// the others (`false`). Image prune reads `false` as "all unused images".
    pub fn dangling(self, dangling: bool) -> Filters {
        self.add("dangling", dangling.to_string())
    }

    /// `before`: containers or images created before this one (name or ID).
    pub fn before(self, container_or_image: impl Into<String>) -> Filters {
        self.add("before", container_or_image)
    }

    /// `since`: containers or images created after this one (name or ID). (The events
    /// operation's `since` is a query parameter of its own, not a filter.)
    pub fn since(self, container_or_image: impl Into<String>) -> Filters {
        self.add("since", container_or_image)
    }

    /// `until`: prune only what was created before this time (also the image list of newer
    /// daemons, documented from API 1.44): a Unix timestamp, an RFC 3339 date or a Go
    /// duration back from now (`10m`, `1h30m`).
    pub fn until(self, timestamp: impl fmt::Display) -> Filters {
        self.add("until", timestamp.to_string())
    }

    /// `reference`: images whose name (`name`, `name:tag`, with `*` wildcards) matches.
    pub fn reference(self, reference: impl Into<String>) -> Filters {
        self.add("reference", reference)
    }

    /// `exited`: containers that exited with this code.
    pub fn exited(self, code: i64) -> Filters {
        self.add("exited", code.to_string())
    }

    /// `health` of a container: `starting`, `healthy`, `unhealthy` or `none`.
    pub fn health(self, health: impl Into<String>) -> Filters {
        self.add("health", health)
    }

    /// `network`: containers connected to this network (name or ID).
    pub fn network(self, network: impl Into<String>) -> Filters {
        self.add("network", network)
    }

    /// `volume`: containers that mount this volume (name) or path.
    pub fn volume(self, volume: impl Into<String>) -> Filters {
        self.add("volume", volume)
    }

    /// `driver`: volumes or networks of this driver (`local`, `bridge`, …).
    pub fn driver(self, driver: impl Into<String>) -> Filters {
        self.add("driver", driver)
    }

    /// `scope` of networks or events: `swarm`, `global` or `local`.
    pub fn scope(self, scope: impl Into<String>) -> Filters {
        self.add("scope", scope)
    }

    /// `type`: events of this object type (`container`, `image`, `volume`, `network`, `daemon`,
    /// …), or networks of this kind (`custom`, `builtin`).
    pub fn type_(self, kind: impl Into<String>) -> Filters {
        self.add("type", kind)
    }

    /// `event`: events with this action (`start`, `die`, `create`, `destroy`, …).
    pub fn event(self, action: impl Into<String>) -> Filters {
        self.add("event", action)
    }

    /// `container`: events of this container (name or ID).
    pub fn container(self, container: impl Into<String>) -> Filters {
        self.add("container", container)
    }

    /// `image`: events of this image (name or ID).
    pub fn image(self, image: impl Into<String>) -> Filters {
        self.add("image", image)
    }

    /// The values of `key`, in the order they were added.
    pub fn get(&self, key: &str) -> Option<&[String]> {
        self.map.get(key).map(Vec::as_slice)
    }

    /// Whether no filter is set.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Each key with its values, keys in alphabetical order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.map.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// The JSON the daemon reads: `{"key":["value",…],…}`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.map).expect("a map of strings is always JSON")
    }
}

impl fmt::Display for Filters {
    /// The JSON of [`Filters::to_json`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json())
    }
}

/// What the generated `filters(..)` setters take (their bound is `TryInto<String>`).
impl From<Filters> for String {
    fn from(filters: Filters) -> String {
        filters.to_json()
    }
}

impl From<&Filters> for String {
    fn from(filters: &Filters) -> String {
        filters.to_json()
    }
}

/// `[("label", "a=b"), ("status", "running")].into_iter().collect::<Filters>()`.
impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Filters {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> Filters {
        let mut filters = Filters::new();
        filters.extend(pairs);
        filters
    }
}

impl<K: Into<String>, V: Into<String>> Extend<(K, V)> for Filters {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, pairs: I) {
        for (k, v) in pairs {
            self.insert(k, v);
        }
    }
}

/// The same JSON object as [`Filters::to_json`], for request bodies built with serde.
impl serde::Serialize for Filters {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.map.serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_is_an_empty_object() {
        assert_eq!(Filters::new().to_json(), "{}");
        assert!(Filters::new().is_empty());
    }

    #[test]
    fn keys_sorted_values_in_order_once() {
        let f = Filters::new()
            .status("running")
            .label("b=2")
            .label_key("a")
            .status("paused")
            .label("b=2");
        assert_eq!(
            f.to_json(),
            r#"{"label":["b=2","a"],"status":["running","paused"]}"#
        );
        assert_eq!(f.get("label"), Some(&["b=2".to_string(), "a".to_string()][..]));
        assert_eq!(f.get("name"), None);
        let keys: Vec<&str> = f.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["label", "status"]);
    }

    #[test]
    fn every_method_names_its_key() {
        let f = Filters::new()
            .label_pair("k", "v")
            .not_label("x")
            .name("n")
            .id("i")
            .ancestor("busybox")
            .dangling(true)
            .before("b")
            .since("s")
            .until(1700000000)
            .reference("r:*")
            .exited(137)
            .health("healthy")
            .network("none")
            .volume("vol")
            .driver("local")
            .scope("local")
            .type_("container")
            .event("die")
            .container("c")
            .image("img")
            .add("is-task", "false");
        let json: serde_json::Value = serde_json::from_str(&f.to_json()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "label": ["k=v"], "label!": ["x"], "name": ["n"], "id": ["i"],
                "ancestor": ["busybox"], "dangling": ["true"], "before": ["b"], "since": ["s"],
                "until": ["1700000000"], "reference": ["r:*"], "exited": ["137"],
                "health": ["healthy"], "network": ["none"], "volume": ["vol"], "driver": ["local"],
                "scope": ["local"], "type": ["container"], "event": ["die"], "container": ["c"],
                "image": ["img"], "is-task": ["false"],
            })
        );
        assert_eq!(
            Filters::new().dangling(false).to_json(),
            r#"{"dangling":["false"]}"#
        );
    }

    #[test]
    fn strings_are_json_escaped() {
        let f = Filters::new().label("quote\"back\\slash=é\n");
        assert_eq!(f.to_json(), r#"{"label":["quote\"back\\slash=é\n"]}"#);
        let back: BTreeMap<String, Vec<String>> = serde_json::from_str(&f.to_json()).unwrap();
        assert_eq!(back["label"], ["quote\"back\\slash=é\n"]);
    }

    #[test]
    fn conversions_agree() {
        let f: Filters = [("status", "exited"), ("label", "a=b")].into_iter().collect();
        let expected = r#"{"label":["a=b"],"status":["exited"]}"#;
        assert_eq!(f.to_string(), expected);
        assert_eq!(String::from(&f), expected);
        assert_eq!(serde_json::to_string(&f).unwrap(), expected);
        // The generated setters' bound.
        fn setter<V: TryInto<String>>(value: V) -> Option<String> {
            value.try_into().ok()
        }
        assert_eq!(setter(f.clone()).as_deref(), Some(expected));
        assert_eq!(setter(&f).as_deref(), Some(expected));
        let mut g = Filters::new();
        g.insert("status", "exited").insert("label", "a=b");
        assert_eq!(g, f);
    }
}
