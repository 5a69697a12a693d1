/* The hall statistics' charts, drawn with the vendored ECharts from the figures the page
   carries in a JSON script element. Canvas rendering and plain-text tooltips: nothing here
   writes inline styles or markup, so the page keeps its Content-Security-Policy. Without this
   file the page still shows the headline figures and the full table. */
(function () {
  "use strict";

  var INK = "#1b1f24";
  var MUTED = "#4a5563";
  var LINE = "#c9d1db";
  var BRAND = "#0b4a86";
  var OK = "#1e6b37";
  var WARN = "#a15c00";
  var ACCENT = "#b3261e";
  // Best to worst: 非常满意 … 非常不满意.
  var LEVEL_COLOURS = {5: "#1e6b37", 4: "#4f8a3c", 3: "#8a7a1e", 2: "#c2571a", 1: "#b3261e"};

  function axisStyle() {
    return {
      axisLine: {lineStyle: {color: LINE}},
      axisLabel: {color: MUTED},
      splitLine: {lineStyle: {color: "#e4e8ee"}}
    };
  }

  function base(names) {
    return {
      animation: false,
      textStyle: {color: INK},
      grid: {left: 8, right: 8, top: 40, bottom: 8, containLabel: true},
      legend: {top: 0, left: 0, textStyle: {color: INK}},
      tooltip: {trigger: "axis", renderMode: "richText", confine: true}
    };
  }

  function merge(target, extra) {
    Object.keys(extra).forEach(function (key) {
      target[key] = extra[key];
    });
    return target;
  }

  function valueAxes(names) {
    return [
      merge({type: "value", name: names.count, minInterval: 1, nameTextStyle: {color: MUTED}}, axisStyle()),
      merge({type: "value", name: names.minutes, nameTextStyle: {color: MUTED}, splitLine: {show: false}},
        {axisLine: {lineStyle: {color: LINE}}, axisLabel: {color: MUTED}})
    ];
  }

  function daysChart(data) {
    var names = data.names;
    return merge(base(names), {
      xAxis: merge({type: "category", data: data.days.days}, axisStyle()),
      yAxis: valueAxes(names),
      series: [
        {name: names.taken, type: "bar", data: data.days.taken, itemStyle: {color: BRAND}},
        {name: names.served, type: "bar", data: data.days.served, itemStyle: {color: OK}},
        {name: names.wait_mean, type: "line", yAxisIndex: 1, data: data.days.wait_mean,
          connectNulls: true, itemStyle: {color: WARN}, lineStyle: {width: 3}},
        {name: names.wait_p90, type: "line", yAxisIndex: 1, data: data.days.wait_p90,
          connectNulls: true, itemStyle: {color: ACCENT}, lineStyle: {type: "dashed", width: 2}}
      ]
    });
  }

  function hoursChart(data) {
    var names = data.names;
    return merge(base(names), {
      xAxis: merge({type: "category", data: data.hours.hours}, axisStyle()),
      yAxis: valueAxes(names),
      series: [
        {name: names.taken, type: "bar", data: data.hours.taken, itemStyle: {color: BRAND}},
        {name: names.wait_mean, type: "line", yAxisIndex: 1, data: data.hours.wait_mean,
          connectNulls: true, itemStyle: {color: WARN}, lineStyle: {width: 3}}
      ]
    });
  }

  function ratingsChart(data) {
    var levels = data.levels;
    return {
      animation: false,
      textStyle: {color: INK},
      grid: {left: 8, right: 32, top: 8, bottom: 8, containLabel: true},
      tooltip: {trigger: "axis", renderMode: "richText", confine: true},
      xAxis: merge({type: "value", minInterval: 1}, axisStyle()),
      yAxis: merge({
        type: "category",
        inverse: true,
        data: levels.map(function (level) { return level.label; })
      }, axisStyle()),
      series: [{
        name: data.names.ratings,
        type: "bar",
        label: {show: true, position: "right", color: INK},
        data: levels.map(function (level) {
          return {value: level.count, itemStyle: {color: LEVEL_COLOURS[level.level] || BRAND}};
        })
      }]
    };
  }

  function draw(id, option, locale) {
    var element = document.getElementById(id);
    if (!element) {
      return null;
    }
    var chart = window.echarts.init(element, null, {renderer: "canvas", locale: locale});
    chart.setOption(option);
    return chart;
  }

  function start() {
    var source = document.getElementById("statistics-chart-data");
    if (!source || !window.echarts) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var charts = [
      data.days ? draw("chart-days", daysChart(data), data.locale) : null,
      draw("chart-hours", hoursChart(data), data.locale),
      draw("chart-ratings", ratingsChart(data), data.locale)
    ].filter(Boolean);
    var pending = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(function () {
        charts.forEach(function (chart) { chart.resize(); });
      }, 100);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
