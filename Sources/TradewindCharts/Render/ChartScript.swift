/// The one small script and style sheet that give charts their hover tooltips, zoom and pan. Include each
/// once per page (the reports inline them); charts work without them, minus those.
///
/// Zoom: Ctrl (or ⌘) + wheel over a chart, or a touchpad pinch (which browsers report so), zooms around the
/// pointer by narrowing the chart's `viewBox` (1× to 20×); dragging a zoomed chart pans it; a double-click
/// restores the whole chart. A plain wheel still scrolls the page.
///
/// Elements with `data-tip` show that text on hover or tap. A line chart's transparent hit area
/// (`.tw-hit`) carries `data-xs` (the x pixel of each drawn point) and `data-tt` (`|`-separated
/// labels): the tooltip follows the nearest point and moves the chart's vertical guide there.
public enum ChartScript {
    public static let css = """
    .tw-tip{position:fixed;z-index:10;display:none;pointer-events:none;max-width:320px;padding:4px 8px;\
    border-radius:4px;background:rgba(15,23,42,.92);color:#fff;font:12px/1.4 system-ui,-apple-system,sans-serif;white-space:pre-line}
    svg.tw-chart{display:block;max-width:100%;height:auto}
    svg.tw-chart .tw-guide{pointer-events:none}
    svg.tw-chart.tw-zoomed{cursor:grab}
    """

    public static let javascript = """
    (function(){var tip=document.createElement('div');tip.className='tw-tip';document.body.appendChild(tip);
    function place(e,t){tip.textContent=t;tip.style.display='block';var x=e.clientX+14,y=e.clientY+14;
    if(x+tip.offsetWidth>window.innerWidth)x=Math.max(0,e.clientX-tip.offsetWidth-14);
    if(y+tip.offsetHeight>window.innerHeight)y=Math.max(0,e.clientY-tip.offsetHeight-14);tip.style.left=x+'px';tip.style.top=y+'px';}
    function guides(show,svg,x){var gs=document.querySelectorAll('.tw-guide');for(var i=0;i<gs.length;i++){
    if(show&&gs[i].ownerSVGElement===svg){gs[i].setAttribute('x1',x);gs[i].setAttribute('x2',x);gs[i].style.display='';}
    else gs[i].style.display='none';}}
    function hover(e){var t=e.target;if(!t||!t.getAttribute){return;}var d=t.getAttribute('data-tip');
    if(d){guides(false);place(e,d);return;}
    if(t.classList&&t.classList.contains('tw-hit')){var svg=t.ownerSVGElement,m=svg.getScreenCTM();if(!m)return;
    var p=svg.createSVGPoint();p.x=e.clientX;p.y=e.clientY;p=p.matrixTransform(m.inverse());
    var xs=t.__xs||(t.__xs=t.getAttribute('data-xs').split(' ').map(Number));var tt=t.__tt||(t.__tt=t.getAttribute('data-tt').split('|'));
    var lo=0,hi=xs.length-1;while(lo<hi){var mid=(lo+hi)>>1;if(xs[mid]<p.x)lo=mid+1;else hi=mid;}
    if(lo>0&&Math.abs(xs[lo-1]-p.x)<Math.abs(xs[lo]-p.x))lo--;guides(true,svg,xs[lo]);place(e,tt[lo]);return;}
    tip.style.display='none';guides(false);}
    document.addEventListener('mousemove',hover);document.addEventListener('click',hover);
    document.addEventListener('mouseleave',function(){tip.style.display='none';guides(false);});
    function chartOf(t){while(t&&!(t.classList&&t.classList.contains('tw-chart'))){t=t.parentNode;}return t;}
    function box(svg){if(!svg.__full){var v=svg.viewBox.baseVal;svg.__full=[v.x,v.y,v.width,v.height];}
    var b=svg.viewBox.baseVal;return [b.x,b.y,b.width,b.height];}
    function setBox(svg,b){var f=svg.__full,w=Math.min(f[2],Math.max(f[2]/20,b[2])),h=w*f[3]/f[2];
    var x=Math.min(f[0]+f[2]-w,Math.max(f[0],b[0])),y=Math.min(f[1]+f[3]-h,Math.max(f[1],b[1]));
    svg.setAttribute('viewBox',x+' '+y+' '+w+' '+h);svg.classList.toggle('tw-zoomed',w<f[2]);}
    function local(svg,e){var m=svg.getScreenCTM();if(!m)return null;var p=svg.createSVGPoint();p.x=e.clientX;p.y=e.clientY;
    return p.matrixTransform(m.inverse());}
    document.addEventListener('wheel',function(e){if(!(e.ctrlKey||e.metaKey))return;var svg=chartOf(e.target);if(!svg)return;
    e.preventDefault();var b=box(svg),p=local(svg,e);if(!p)return;var k=e.deltaY<0?0.8:1.25,w=b[2]*k,h=b[3]*k;
    setBox(svg,[p.x-(p.x-b[0])*k,p.y-(p.y-b[1])*k,w,h]);},{passive:false});
    var drag=null;document.addEventListener('mousedown',function(e){var svg=chartOf(e.target);
    if(!svg||!svg.classList.contains('tw-zoomed'))return;drag={svg:svg,p:local(svg,e),b:box(svg)};e.preventDefault();});
    document.addEventListener('mousemove',function(e){if(!drag||!drag.p)return;var q=local(drag.svg,e);if(!q)return;
    var b=box(drag.svg);setBox(drag.svg,[b[0]-(q.x-drag.p.x),b[1]-(q.y-drag.p.y),b[2],b[3]]);});
    document.addEventListener('mouseup',function(){drag=null;});
    document.addEventListener('dblclick',function(e){var svg=chartOf(e.target);if(!svg||!svg.__full)return;
    setBox(svg,svg.__full.slice());});})();
    """
}
