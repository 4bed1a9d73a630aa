//! Customers and vehicles at the desk: registered, looked up, and the vehicle's mileage history kept honest.

use aftersales_kernel::{DealerId, Vin};
use aftersales_proto::reception::v1 as pb;
use aftersales_runtime::auth::{DealerScope, Principal};
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::{AppError, AppResult};

use super::Reception;
use crate::convert::customers as render;
use crate::domain::customer::{Customer, CustomerDetails, Phone};
use crate::domain::vehicle::{MileageSource, NewVehicle, Vehicle};
use crate::store::{customers, vehicles};

/// A change to a vehicle's mileage.
#[derive(Debug, Clone)]
pub enum MileageChange {
    /// A reading (never below the last).
    Reading(i64, MileageSource),
    /// The manager's correction, with a reason.
    Correction(i64, String),
}

impl Reception {
    /// Registers a customer of `dealer`.
    pub async fn create_customer(
        &self,
        key: &IdempotencyKey,
        dealer: DealerId,
        details: CustomerDetails,
    ) -> AppResult<pb::Customer> {
        let now = self.clock.now();
        let txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let customer = Customer::register(dealer, details, now);
        customers::insert(&*txn, &customer).await?;
        let answer = render::customer(&customer);
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        Ok(answer)
    }

    /// Replaces a customer's details if `revision` is current.
    pub async fn update_customer(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: uuid::Uuid,
        revision: i64,
        details: CustomerDetails,
    ) -> AppResult<pb::Customer> {
        let now = self.clock.now();
        let txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let found = customers::find(&*txn, id).await?;
        let mut customer =
            found.filter(|c| caller.can_see_dealer(&c.dealer_id)).ok_or(AppError::NotFound("customer"))?;
        if customer.revision != revision {
            return Err(AppError::Aborted("the customer changed since read; read them again".into()));
        }
        customer.update(details, now);
        customers::update(&*txn, &customer, revision).await?;
        let answer = render::customer(&customer);
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        Ok(answer)
    }

    /// A customer the caller may see.
    pub async fn customer(&self, caller: &Principal, id: uuid::Uuid) -> AppResult<Customer> {
        let found = customers::find(self.db.reader(), id).await?;
        found.filter(|c| caller.can_see_dealer(&c.dealer_id)).ok_or(AppError::NotFound("customer"))
    }

    /// A page of customers.
    pub async fn customers(
        &self,
        scope: &DealerScope,
        phone: Option<&Phone>,
        name_prefix: Option<&str>,
        after: Option<uuid::Uuid>,
        limit: u64,
    ) -> AppResult<Vec<Customer>> {
        customers::list(self.db.reader(), scope, phone, name_prefix, after, limit).await
    }

    /// Registers a vehicle of one of `dealer`'s customers.
    pub async fn register_vehicle(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        dealer: DealerId,
        new: NewVehicle,
    ) -> AppResult<pb::Vehicle> {
        let now = self.clock.now();
        let txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let owner = customers::find(&*txn, new.owner).await?;
        if owner.is_none_or(|c| c.dealer_id != dealer) {
            return Err(AppError::NotFound("customer"));
        }
        let vehicle = Vehicle::register(dealer, new, &caller.subject, now);
        if !vehicles::insert(&*txn, &vehicle).await? {
            return Err(AppError::AlreadyExists("vehicle (the VIN is registered at this dealer)".into()));
        }
        let answer = render::vehicle(&vehicle);
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        Ok(answer)
    }

    /// Records a reading or the manager's correction.
    pub async fn change_mileage(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: uuid::Uuid,
        change: MileageChange,
    ) -> AppResult<pb::Vehicle> {
        let now = self.clock.now();
        let txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let found = vehicles::find(&*txn, id, true).await?;
        let mut vehicle = found.filter(|v| caller.can_see_dealer(&v.dealer_id)).ok_or(AppError::NotFound("vehicle"))?;
        let (stored, revision) = (vehicle.readings.len(), vehicle.revision);
        match change {
            MileageChange::Reading(km, source) => {
                vehicle.record_mileage(km, source, &caller.subject, now).map_err(|e| {
                    AppError::precondition("MILEAGE_BELOW_LAST_READING", format!("{} km", e.last), e.to_string())
                })?
            }
            MileageChange::Correction(km, reason) => vehicle.correct_mileage(km, &reason, &caller.subject, now),
        }
        vehicles::save(&*txn, &vehicle, stored, revision).await?;
        let answer = render::vehicle(&vehicle);
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        Ok(answer)
    }

    /// A vehicle the caller may see.
    pub async fn vehicle(&self, caller: &Principal, id: uuid::Uuid) -> AppResult<Vehicle> {
        // One snapshot for the vehicle's row and its readings.
        let conn = self.db.read().await?;
        let found = vehicles::find(&conn, id, false).await?;
        conn.commit().await?;
        found.filter(|v| caller.can_see_dealer(&v.dealer_id)).ok_or(AppError::NotFound("vehicle"))
    }

    /// A page of vehicles.
    pub async fn vehicles(
        &self,
        scope: &DealerScope,
        owner: Option<uuid::Uuid>,
        vin: Option<&Vin>,
        after: Option<uuid::Uuid>,
        limit: u64,
    ) -> AppResult<Vec<Vehicle>> {
        let conn = self.db.read().await?;
        let list = vehicles::list(&conn, scope, owner, vin, after, limit).await?;
        conn.commit().await?;
        Ok(list)
    }
}
