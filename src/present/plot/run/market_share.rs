//! The market over time: mean active users of each platform and the pool
//! of non-users, stacked as shares of the market (the focal platform at the
//! bottom, where its decline reads against a flat baseline). The legend
//! gives each layer's share at the start and at the end.

use super::Ctx;
use crate::core::metric::Metric;
use crate::core::numbers::human;
use crate::present::plot::PlotError;
use crate::present::plot::axis::Axis;
use crate::present::plot::stacked_area::{Layer, StackedArea};
use crate::present::plot::style::NEUTRAL;
use crate::present::plot::ticks::NumberFormat;

fn means(s: &crate::experiments::montecarlo::DailySeries, n: usize) -> Vec<f64> {
    (0..n)
        .map(|d| s.days.get(d).and_then(|x| x.mean).unwrap_or(0.0))
        .collect()
}

fn pct(v: f64) -> String {
    crate::core::numbers::percent(v, 1)
}

/// The market-share chart, or `None` when the market size is unknown.
pub(super) fn chart(ctx: &Ctx<'_>) -> Result<Option<StackedArea>, PlotError> {
    let names = ctx.platforms();
    let n = ctx.input.horizon_days as usize + 1;
    let mut active = Vec::new();
    for name in names {
        active.push(means(ctx.require(name, Metric::ActiveUsers)?, n));
    }
    let pool: Vec<f64> = match (ctx.series("market", Metric::Pool), ctx.input.potential_users) {
        (Some(s), _) => means(s, n),
        (None, Some(total)) => (0..n)
            .map(|d| (total as f64 - active.iter().map(|a| a[d]).sum::<f64>()).max(0.0))
            .collect(),
        (None, None) => return Ok(None),
    };
    let totals: Vec<f64> = (0..n)
        .map(|d| match ctx.input.potential_users {
            Some(t) if t > 0 => t as f64,
            _ => active.iter().map(|a| a[d]).sum::<f64>() + pool[d],
        })
        .collect();
    let share = |v: &[f64]| -> Vec<f64> {
        v.iter()
            .zip(&totals)
            .map(|(x, t)| if *t > 0.0 { x / t } else { 0.0 })
            .collect()
    };
    let label = |name: &str, s: &[f64]| -> String {
        match (s.first(), s.last()) {
            (Some(a), Some(b)) => format!("{name}\n{} → {}", pct(*a), pct(*b)),
            _ => name.to_string(),
        }
    };
    let mut order: Vec<usize> = (0..names.len()).collect();
    if let Some(f) = ctx.input.focal.filter(|&f| f < names.len()) {
        order.retain(|&p| p != f);
        order.insert(0, f);
    }
    let mut layers: Vec<Layer> = order
        .iter()
        .map(|&p| {
            let values = share(&active[p]);
            Layer {
                label: label(&names[p], &values),
                colour: ctx.styles[p].colour,
                alpha: 0.85,
                bold: ctx.styles[p].focal,
                values,
            }
        })
        .collect();
    let pool_share = share(&pool);
    layers.push(Layer {
        label: label("No platform (pool)", &pool_share),
        colour: NEUTRAL,
        alpha: 0.7,
        bold: false,
        values: pool_share,
    });
    let y = Axis::fixed("Share of the market", 0.0, 1.0, NumberFormat::Percent, 5);
    let size = ctx
        .input
        .potential_users
        .map(|t| format!("market of {} potential users · ", human(t as f64)));
    Ok(Some(StackedArea {
        title: "Market share: active users per platform and non-users".into(),
        subtitle: ctx.subtitle(&format!("{}mean", size.unwrap_or_default())),
        x: ctx.day_axis(),
        y,
        xs: (0..n).map(|d| d as f64).collect(),
        layers,
        guides: ctx.guides.clone(),
        legend_heading: Some("Share, start → end".into()),
    }))
}
