//! The dealer directory as tests need it: a dealer registered by the OEM with its terms.

use aftersales_proto::reception::v1 as pb;
use aftersales_proto::reception::v1::directory_service_client::DirectoryServiceClient;
use tonic::Code;

use crate::auth::{Bearer, Caller};
use crate::process::ServiceProcess;

/// A valid CreateDealerRequest for `dealer`: Shanghai time, open 08:00–18:00 every day, EUR, `tax_rate_bp`,
/// `prefix`.
pub fn new_dealer(dealer: &str, prefix: &str, tax_rate_bp: i64) -> pb::CreateDealerRequest {
    let opening_hours =
        (1..=7).map(|day| pb::OpeningHours { day, opens: "08:00".into(), closes: "18:00".into() }).collect();
    pb::CreateDealerRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        dealer_id: dealer.to_string(),
        name: format!("Dealer {prefix}"),
        region: "CN-EAST".into(),
        time_zone: "Asia/Shanghai".into(),
        opening_hours,
        currency_code: "EUR".into(),
        tax_rate_basis_points: tax_rate_bp,
        invoice_prefix: prefix.to_string(),
    }
}

/// Registers `dealer` in reception's directory as the OEM (already there is fine) and returns it.
pub async fn register_dealer(
    reception: &ServiceProcess,
    data_dir: &str,
    dealer: &str,
    prefix: &str,
    tax_rate_bp: i64,
) -> pb::Dealer {
    let token = Caller::role("oem_manager").token(data_dir);
    let mut directory = DirectoryServiceClient::with_interceptor(reception.channel().await, Bearer(Some(token)));
    match directory.create_dealer(new_dealer(dealer, prefix, tax_rate_bp)).await {
        Ok(created) => created.into_inner(),
        Err(status) if status.code() == Code::AlreadyExists => directory
            .get_dealer(pb::GetDealerRequest { dealer_id: dealer.to_string() })
            .await
            .expect("the dealer")
            .into_inner(),
        Err(status) => panic!("register dealer: {status:?}"),
    }
}
