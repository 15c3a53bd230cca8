import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([
  LineChart,
  BarChart,
  HeatmapChart,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
  SVGRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

/**
 * Draws a chart into `el` with the SVG renderer (its texts stay in the DOM: printable and
 * testable). Tooltips are rich text inside the chart: no HTML, so the CSP needs no inline style.
 */
export function drawChart(el: HTMLElement, option: ChartOption): echarts.ECharts {
  echarts.getInstanceByDom(el)?.dispose();
  const chart = echarts.init(el, undefined, { renderer: 'svg' });
  chart.setOption({ animation: false, textStyle: { fontFamily: 'sans-serif' }, ...option });
  return chart;
}

export function resizeCharts(): void {
  for (const el of document.querySelectorAll<HTMLElement>('.chart')) echarts.getInstanceByDom(el)?.resize();
}
