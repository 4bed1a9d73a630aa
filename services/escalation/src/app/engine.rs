//! The SLA engine's use cases: clocks started, met and stopped by other services' events (one transaction with the
//! consumer's cursor), fired by the scheduler, waived, paused and resumed by people — each change saved with the
//! events it causes in one transaction.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use aftersales_proto::common::v1::EventEnvelope;
use aftersales_proto::escalation::v1 as pb;
use aftersales_proto::reception::v1 as reception;
use aftersales_runtime::auth::Principal;
use aftersales_runtime::clock::SharedClock;
use aftersales_runtime::db::{Db, WriteTxn};
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::outbox::{self, NewEvent, decode_payload};
use aftersales_runtime::{AppError, AppResult, to_timestamp};
use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use tokio::sync::Notify;

use super::tenant;
use crate::convert::clocks as render;
use crate::domain::sla::calendar::BusinessHours;
use crate::domain::sla::policy::{Calendar, WAIVER_FIELDS};
use crate::domain::sla::{Clock, ClockError, ClockStatus, Effect, Entry, FieldValue, Fields, PolicySet};
use crate::policies;
use crate::schema::EventSchema;
use crate::store::dealer_hours;
use crate::store::sla::{self, PolicyVersion};

/// Clock events are on the feed under this aggregate.
const AGGREGATE: &str = "clock";
/// Who published the defaults.
const DEFAULTS_AUTHOR: &str = "defaults";

/// The engine.
#[derive(Clone, Debug)]
pub struct Engine {
    db: Db,
    clock: SharedClock,
    schema: Arc<EventSchema>,
    /// Woken after a commit that made a clock due earlier than the scheduler may be sleeping for.
    wake: Arc<Notify>,
    /// Until when the scheduler sleeps; None while it is awake (reading what is due).
    sleeping_until: Arc<Mutex<Option<DateTime<Utc>>>>,
    /// Published versions never change: each is read once.
    sets: Arc<Mutex<BTreeMap<i32, Arc<PolicySet>>>>,
}

impl Engine {
    /// Over a database, a clock and the suite's event schema.
    pub fn new(db: Db, clock: SharedClock, schema: Arc<EventSchema>) -> Engine {
        Engine {
            db,
            clock,
            schema,
            wake: Arc::new(Notify::new()),
            sleeping_until: Arc::new(Mutex::new(None)),
            sets: Arc::default(),
        }
    }

    /// What wakes the scheduler.
    pub fn wake(&self) -> Arc<Notify> {
        self.wake.clone()
    }

    /// The scheduler says until when it sleeps (None: it is awake and about to read what is due).
    pub fn sleeping_until(&self, until: Option<DateTime<Utc>>) {
        *self.sleeping_until.lock().expect("sleeping_until") = until;
    }

    /// Once `txn` commits, wakes the scheduler if a clock it wrote must be looked at (`at`) before the scheduler
    /// would wake anyway — decided after the commit, so a scheduler that reads the next due time later sees it.
    fn wake_if_earlier(&self, txn: &mut WriteTxn, at: Option<DateTime<Utc>>) {
        let Some(at) = at else { return };
        let (sleeping_until, wake) = (self.sleeping_until.clone(), self.wake.clone());
        txn.after_commit(move || {
            let until = *sleeping_until.lock().expect("sleeping_until");
            if until.is_none_or(|until| at < until) {
                wake.notify_one();
            }
        });
    }

    /// The service's database.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Publishes the default set as version 1 unless a version exists (another replica may have done it first).
    pub async fn ensure_defaults(&self, txn: &WriteTxn) -> AppResult<()> {
        if !self.sets.lock().expect("sets").is_empty() || !sla::version_numbers(&**txn).await?.is_empty() {
            return Ok(());
        }
        let set = policies::defaults().map_err(|e| AppError::internal(anyhow::anyhow!("default policies: {e}")))?;
        set.check(&*self.schema).map_err(|e| AppError::internal(anyhow::anyhow!("default policies: {e}")))?;
        let version = PolicyVersion {
            version: 1,
            set,
            note: "the defaults of config/policies".into(),
            published_by: DEFAULTS_AUTHOR.into(),
            published_at: self.clock.now(),
        };
        sla::insert_version(&**txn, &version).await?;
        Ok(())
    }

    /// At start-up: the defaults are version 1 unless a version exists.
    pub async fn start_up(&self) -> AppResult<()> {
        let txn = self.db.write().await?;
        self.ensure_defaults(&txn).await?;
        txn.commit().await
    }

    /// A version's set (read once, then kept).
    async fn set(&self, conn: &impl ConnectionTrait, version: i32) -> AppResult<Arc<PolicySet>> {
        if let Some(set) = self.sets.lock().expect("sets").get(&version) {
            return Ok(set.clone());
        }
        let found = sla::version(conn, version).await?.ok_or(AppError::NotFound("policy version"))?;
        let set = Arc::new(found.set);
        self.sets.lock().expect("sets").insert(version, set.clone());
        Ok(set)
    }

    /// Applies another service's event: clocks it meets or stops (under the version each runs by), then clocks it
    /// starts (under the newest version).
    pub async fn apply(&self, txn: &mut WriteTxn, envelope: &EventEnvelope) -> AppResult<()> {
        if let Some(dealer) = decode_payload::<reception::DealerUpdated>(envelope) {
            // The directory's opening hours: the calendar of clocks that count only open time.
            if let Some((id, hours, updated)) = dealer.ok().and_then(|d| d.dealer).and_then(|d| calendar_of(&d)) {
                dealer_hours::put(&**txn, &id, &hours, updated).await?;
            }
        }
        let Some(decoded) = self.schema.decode(envelope) else { return Ok(()) };
        let event = match decoded {
            Ok(event) => event,
            Err(e) => {
                // A payload that does not decode will not decode on a retry either.
                tracing::error!(event_id = %envelope.event_id, error = %e, "undecodable event passed over");
                return Ok(());
            }
        };
        self.ensure_defaults(txn).await?;
        let versions = sla::version_numbers(&**txn).await?;
        let at = envelope.occurred_at.as_ref().and_then(|t| DateTime::from_timestamp(t.seconds, t.nanos as u32));
        let at = at.unwrap_or_else(|| self.clock.now());
        let tenant = tenant::of_envelope(envelope);
        self.meet_or_stop(txn, &versions, &envelope.event_type, &event, &tenant, at).await?;
        self.start(txn, &versions, &envelope.event_type, &event, &tenant, at).await
    }

    /// Applies one of this service's own events (a case's), appended in `txn` as `event_id`: its clocks change in
    /// the same transaction as the case.
    pub async fn apply_own(&self, txn: &mut WriteTxn, event: &NewEvent, event_id: uuid::Uuid) -> AppResult<()> {
        let (tenant_kind, tenant_id) = event.tenant.kind_and_id();
        let envelope = EventEnvelope {
            event_id: event_id.to_string(),
            event_type: event.event_type.to_string(),
            occurred_at: Some(to_timestamp(event.occurred_at)),
            tenant_kind: tenant_kind as i32,
            tenant_id,
            aggregate_type: event.aggregate_type.to_string(),
            aggregate_id: event.aggregate_id.clone(),
            payload: Some(prost_types::Any {
                type_url: format!("type.googleapis.com/{}", event.event_type),
                value: event.payload.clone(),
            }),
            ..Default::default()
        };
        self.apply(txn, &envelope).await
    }

    async fn meet_or_stop(
        &self,
        txn: &mut WriteTxn,
        versions: &[i32],
        event_type: &str,
        event: &dyn Fields,
        tenant: &str,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        let mut subjects = BTreeSet::new();
        for version in versions {
            let set = self.set(&**txn, *version).await?;
            for policy in &set.policies {
                subjects.extend(policy.meets(event_type, event));
                subjects.extend(policy.stops(event_type, event));
                subjects.extend(policy.waives(event_type, event));
            }
        }
        for subject in subjects {
            for mut clock in sla::clocks_of_subject(&**txn, &subject, &[], true).await? {
                if clock.is_final() || clock.tenant != tenant {
                    continue;
                }
                let set = self.set(&**txn, clock.version).await?;
                let Some(policy) = set.policy(&clock.policy) else { continue };
                let effects = if policy.meets(event_type, event).as_deref() == Some(subject.as_str()) {
                    clock.meet(at)
                } else if policy.stops(event_type, event).as_deref() == Some(subject.as_str()) {
                    clock.stop(at)
                } else if policy.waives(event_type, event).as_deref() == Some(subject.as_str()) {
                    let [reason, by] = WAIVER_FIELDS.map(|f| match event.get(f) {
                        Some(FieldValue::Text(text)) => text,
                        _ => String::new(),
                    });
                    clock.waive(&reason, &by, at)
                } else {
                    continue;
                };
                let effects = effects.map_err(clock_error)?;
                sla::save_clock(&**txn, &clock, self.clock.now()).await?;
                publish(txn, &clock, &effects, at).await?;
            }
        }
        Ok(())
    }

    async fn start(
        &self,
        txn: &mut WriteTxn,
        versions: &[i32],
        event_type: &str,
        event: &dyn Fields,
        tenant: &str,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        let Some(latest) = versions.last().copied() else { return Ok(()) };
        let set = self.set(&**txn, latest).await?;
        for policy in &set.policies {
            let Some((subject, mut due)) = policy.starts(event_type, event, at) else { continue };
            if policy.calendar == Calendar::DealerHours {
                match dealer_hours::find(&**txn, tenant::id(tenant)).await? {
                    Some(hours) => due = policy.due_in_hours(&hours, at).unwrap_or(due),
                    None => {
                        tracing::warn!(policy = %policy.name, %tenant, "no opening hours for the dealer: counting every hour")
                    }
                }
            }
            let ladder = set.ladder(&policy.ladder).map(|l| l.levels.clone()).unwrap_or_default();
            let mut clock = Clock::start(policy, latest, ladder, subject.clone(), tenant.to_string(), at, due);
            if let Some(earlier) = self.continued(txn, &policy.continues, &subject, tenant).await? {
                clock.continue_from(&earlier, at);
            }
            if sla::insert_clock(&**txn, &clock, self.clock.now()).await? {
                tracing::debug!(clock_id = %clock.id, policy = %policy.name, subject = %subject, %due, "clock started");
                self.wake_if_earlier(txn, clock.next_fire_at);
            } else if policy.rearm_on_start || policy.restart_stopped {
                let existing = sla::clocks_of_subject(&**txn, &subject, &[policy.name.as_str()], true).await?;
                for mut clock in existing.into_iter().filter(|c| c.tenant == tenant) {
                    match clock.status {
                        ClockStatus::Stopped if policy.restart_stopped => clock.restart(at, due),
                        _ if policy.rearm_on_start && !clock.is_final() => clock.rearm(at, due),
                        _ => continue,
                    }
                    .map_err(clock_error)?;
                    sla::save_clock(&**txn, &clock, self.clock.now()).await?;
                    self.wake_if_earlier(txn, clock.next_fire_at);
                }
            }
        }
        Ok(())
    }

    /// The stopped clock of `subject` (under one of `policies`, same tenant) a new clock continues: the one that
    /// ended last.
    async fn continued(
        &self,
        txn: &WriteTxn,
        policies: &[String],
        subject: &str,
        tenant: &str,
    ) -> AppResult<Option<Clock>> {
        if policies.is_empty() {
            return Ok(None);
        }
        let names: Vec<&str> = policies.iter().map(String::as_str).collect();
        let candidates = sla::clocks_of_subject(&**txn, subject, &names, false).await?;
        Ok(candidates
            .into_iter()
            .filter(|c| c.tenant == tenant && c.status == ClockStatus::Stopped)
            .max_by_key(|c| c.history.last().map(Entry::at)))
    }

    /// Fires up to `limit` due clocks in one transaction; how many it fired.
    pub async fn fire_due(&self, limit: u64) -> AppResult<usize> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        let due = sla::claim_due(&*txn, now, limit).await?;
        for mut clock in due.iter().cloned() {
            let effects = clock.fire(now);
            sla::save_clock(&*txn, &clock, now).await?;
            publish(&mut txn, &clock, &effects, now).await?;
        }
        txn.commit().await?;
        Ok(due.len())
    }

    /// The earliest time a clock must be looked at.
    pub async fn next_fire(&self) -> AppResult<Option<DateTime<Utc>>> {
        sla::next_fire(self.db.reader()).await
    }

    /// Publishes a new version of the policy set (checked against the events' schema).
    pub async fn publish_policies(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        text: &str,
        note: &str,
    ) -> AppResult<pb::PolicyVersion> {
        let set = PolicySet::from_toml(text).map_err(|e| AppError::invalid("policies_toml", e.to_string()))?;
        set.check(&*self.schema).map_err(|e| AppError::invalid("policies_toml", e.to_string()))?;
        let now = self.clock.now();
        let txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        self.ensure_defaults(&txn).await?;
        let number = sla::latest_version(&*txn).await?.map_or(1, |v| v.version + 1);
        let version = PolicyVersion {
            version: number,
            set,
            note: note.into(),
            published_by: caller.subject.clone(),
            published_at: now,
        };
        if !sla::insert_version(&*txn, &version).await? {
            return Err(AppError::Aborted("another version was published meanwhile; retry".into()));
        }
        let answer = render::version(&version);
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        tracing::info!(version = number, by = %caller.subject, "policies published");
        Ok(answer)
    }

    /// A version (0: the newest; the defaults are version 1 from start-up on).
    pub async fn policies(&self, version: i32) -> AppResult<pb::PolicyVersion> {
        let found = match version {
            0 => sla::latest_version(self.db.reader()).await?,
            n => sla::version(self.db.reader(), n).await?,
        };
        found.map(|v| render::version(&v)).ok_or(AppError::NotFound("policy version"))
    }

    /// A clock the caller may see, explained.
    pub async fn explain(&self, caller: &Principal, id: uuid::Uuid) -> AppResult<pb::ClockExplanation> {
        let clock = visible(sla::find_clock(self.db.reader(), id, false).await?, caller)?;
        let set = self.set(self.db.reader(), clock.version).await?;
        Ok(render::explanation(&clock, &set))
    }

    /// The clocks of a subject the caller may see.
    pub async fn clocks_of(&self, caller: &Principal, subject: &str) -> AppResult<Vec<pb::ClockExplanation>> {
        let read = self.db.read().await?;
        let mut out = Vec::new();
        for clock in sla::clocks_of_subject(&read, subject, &[], false).await? {
            if tenant::visible(caller, &clock.tenant) {
                let set = self.set(&read, clock.version).await?;
                out.push(render::explanation(&clock, &set));
            }
        }
        Ok(out)
    }

    /// Waives, pauses or resumes a clock the caller may see.
    pub async fn change(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: uuid::Uuid,
        change: Change,
    ) -> AppResult<pb::ClockExplanation> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let mut clock = visible(sla::find_clock(&*txn, id, true).await?, caller)?;
        let effects = match &change {
            Change::Waive(reason) => clock.waive(reason, &caller.subject, now),
            Change::Pause(reason) => clock.pause(reason, &caller.subject, now).map(|()| Vec::new()),
            Change::Resume => clock.resume(&caller.subject, now).map(|()| Vec::new()),
        }
        .map_err(clock_error)?;
        sla::save_clock(&*txn, &clock, now).await?;
        publish(&mut txn, &clock, &effects, now).await?;
        self.wake_if_earlier(&mut txn, clock.next_fire_at);
        let set = self.set(&*txn, clock.version).await?;
        let answer = render::explanation(&clock, &set);
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        Ok(answer)
    }
}

/// What a person does to a clock.
#[derive(Debug, Clone)]
pub enum Change {
    /// The OEM waives it, with a reason.
    Waive(String),
    /// Held for a reason code.
    Pause(String),
    /// Resumed.
    Resume,
}

/// The events of a clock's change.
async fn publish(txn: &mut WriteTxn, clock: &Clock, effects: &[Effect], now: DateTime<Utc>) -> AppResult<()> {
    let tenant_id = tenant::id(&clock.tenant).to_string();
    for effect in effects {
        if let Effect::Breached { due_at, .. } = effect {
            // Counted once the breach is committed (a rolled-back firing is retried, and would count twice).
            let (policy, lateness_ms) = (clock.policy.clone(), (now - *due_at).num_milliseconds() as f64);
            txn.after_commit(move || aftersales_runtime::metrics::clock_breached(&policy, lateness_ms));
        }
        let event = match effect {
            Effect::Breached { period, due_at } => NewEvent::new(
                &pb::ClockBreached {
                    clock_id: clock.id.to_string(),
                    policy: clock.policy.clone(),
                    version: clock.version,
                    subject_kind: clock.subject_kind.clone(),
                    subject_id: clock.subject_id.clone(),
                    tenant_id: tenant_id.clone(),
                    period: *period,
                    due_at: Some(to_timestamp(*due_at)),
                    fired_at: Some(to_timestamp(now)),
                },
                now,
                tenant::event_tenant(&clock.tenant),
                AGGREGATE,
                clock.id.to_string(),
            ),
            Effect::Escalated { level, role } => {
                let at = render::escalated_at(clock, *level).unwrap_or(now);
                NewEvent::new(
                    &pb::ClockEscalated {
                        clock_id: clock.id.to_string(),
                        policy: clock.policy.clone(),
                        subject_kind: clock.subject_kind.clone(),
                        subject_id: clock.subject_id.clone(),
                        tenant_id: tenant_id.clone(),
                        level: *level,
                        role: role.clone(),
                        escalated_at: Some(to_timestamp(at)),
                    },
                    now,
                    tenant::event_tenant(&clock.tenant),
                    AGGREGATE,
                    clock.id.to_string(),
                )
            }
            Effect::Closed => NewEvent::new(
                &render::closed(clock, now),
                now,
                tenant::event_tenant(&clock.tenant),
                AGGREGATE,
                clock.id.to_string(),
            ),
        };
        outbox::append(txn, event).await?;
    }
    Ok(())
}

/// A directory entry's calendar: its id, hours and when it was updated; None when it cannot be read (logged).
fn calendar_of(dealer: &reception::Dealer) -> Option<(String, BusinessHours, DateTime<Utc>)> {
    let time_zone = dealer.time_zone.parse().ok()?;
    let mut intervals = Vec::new();
    for hours in &dealer.opening_hours {
        let day = chrono::Weekday::try_from(u8::try_from(hours.day - 1).ok()?).ok()?;
        let time = |t: &str| chrono::NaiveTime::parse_from_str(t, "%H:%M").ok();
        intervals.push((day, time(&hours.opens)?, time(&hours.closes)?));
    }
    let updated = dealer.update_time.as_ref().and_then(|t| DateTime::from_timestamp(t.seconds, t.nanos as u32))?;
    Some((dealer.dealer_id.clone(), BusinessHours { time_zone, intervals }, updated))
}

fn visible(found: Option<Clock>, caller: &Principal) -> AppResult<Clock> {
    found.filter(|c| tenant::visible(caller, &c.tenant)).ok_or(AppError::NotFound("clock"))
}

fn clock_error(error: ClockError) -> AppError {
    match &error {
        ClockError::Ended(state) => AppError::precondition("CLOCK_ENDED", *state, error.to_string()),
        ClockError::PauseNotAllowed(_) => AppError::precondition("PAUSE_NOT_ALLOWED", "running", error.to_string()),
        ClockError::NotInState(state) => AppError::precondition("CLOCK_STATE", *state, error.to_string()),
    }
}
