-- envbuilder for Neovim: starts `envbuilder lsp --stdio` for Dockerfiles and devcontainer.json
-- files (one client per workspace root) and builds, pushes and cancels through it.
--
--   require('envbuilder').setup({
--     cmd = { 'envbuilder', 'lsp', '--stdio' },
--     settings = { envbuilder = { lint = { disabledRules = { 'DL3008' } } } },
--     on_attach = function(client, bufnr) end,
--     capabilities = nil,        -- merged over vim.lsp.protocol.make_client_capabilities()
--   })
--
-- Works with Neovim 0.7 (vim.lsp.start_client + vim.lsp.buf_attach_client) and later versions
-- (vim.lsp.start from 0.11, where start_client is deprecated).
local util = require('envbuilder.util')
local handlers = require('envbuilder.handlers')
local build = require('envbuilder.build')

local M = {}

local defaults = {
  -- The server command.
  cmd = { 'envbuilder', 'lsp', '--stdio' },
  -- The client's name; the commands look for clients of this name (lspconfig's too).
  name = 'envbuilder',
  -- Sent as initializationOptions (settings.envbuilder), with didChangeConfiguration after
  -- initialize, and answered to workspace/configuration.
  settings = { envbuilder = {} },
  on_attach = nil,
  capabilities = nil,
  -- Extra handlers, over the plugin's own.
  handlers = nil,
  -- Start the server for Dockerfiles and devcontainer configs as they are opened.
  autostart = true,
  -- Filetypes whose buffers get the server (devcontainer.json files get it whatever their filetype).
  filetypes = { 'dockerfile' },
  -- Build progress: 'echo' (one line, not kept in :messages), 'notify', false, or
  -- function(text, value, ctx).
  progress = 'echo',
  -- Show the server's window/showMessage through vim.notify.
  show_messages = true,
  -- Lines kept in envbuilder://build-log.
  log_max_lines = 10000,
  -- Passed to the client as is (e.g. { debounce_text_changes = 150 }).
  flags = nil,
}

M.options = vim.deepcopy(defaults)

-- Client id per workspace root, for the clients this plugin started.
M.clients = {}

local setup_done = false

local function client_capabilities()
  local capabilities = vim.lsp.protocol.make_client_capabilities()
  if M.options.capabilities then
    capabilities = vim.tbl_deep_extend('force', capabilities, M.options.capabilities)
  end
  -- workspace/configuration is answered from `settings` (Neovim 0.7 does not advertise it);
  -- window.workDoneProgress lets the server report build steps.
  return vim.tbl_deep_extend('force', capabilities, {
    workspace = { configuration = true },
    window = { workDoneProgress = true },
  })
end

local function client_handlers()
  return vim.tbl_extend('force', handlers.all(), M.options.handlers or {})
end

local function envbuilder_section(settings)
  local section = type(settings) == 'table' and settings.envbuilder or nil
  if type(section) ~= 'table' or next(section) == nil then
    return vim.empty_dict()
  end
  return section
end

--- The client configuration for a workspace root (what vim.lsp.start_client gets).
function M.client_config(root)
  local options = M.options
  return {
    name = options.name,
    cmd = options.cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    init_options = envbuilder_section(options.settings),
    settings = options.settings or {},
    capabilities = client_capabilities(),
    handlers = client_handlers(),
    flags = options.flags,
    on_init = function(client)
      -- Neovim 0.7 does not send settings by itself.
      if type(options.settings) == 'table' and options.settings.envbuilder then
        util.call(client, 'notify', 'workspace/didChangeConfiguration', { settings = options.settings })
      end
    end,
    on_attach = options.on_attach,
    on_exit = function(_, _, client_id)
      -- Not scheduled by Neovim 0.7: no API calls here.
      vim.schedule(function()
        for root_dir, id in pairs(M.clients) do
          if id == client_id then
            M.clients[root_dir] = nil
          end
        end
        handlers.forget_client(client_id)
        build.client_exited(client_id)
      end)
    end,
  }
end

local function start_client(root, bufnr)
  local config = M.client_config(root)
  local client_id
  if util.has('0.11') then
    -- start_client is deprecated from 0.11 on; vim.lsp.start attaches the current buffer.
    vim.api.nvim_buf_call(bufnr, function()
      client_id = vim.lsp.start(config, {
        reuse_client = function()
          return false
        end,
      })
    end)
  else
    client_id = vim.lsp.start_client(config)
    if client_id then
      vim.lsp.buf_attach_client(bufnr, client_id)
    end
  end
  if not client_id then
    util.notify('could not start ' .. table.concat(config.cmd, ' '), vim.log.levels.ERROR)
  end
  return client_id
end

--- Whether the buffer is one the server should get.
function M.wants(bufnr)
  if not vim.api.nvim_buf_is_valid(bufnr) or util.get_option(bufnr, 'buftype') ~= '' then
    return false
  end
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' or name:match('^%a[%w+.-]*://') then
    return false
  end
  if util.is_devcontainer(name) then
    return true
  end
  return vim.tbl_contains(M.options.filetypes, util.get_option(bufnr, 'filetype'))
end

--- Attaches the buffer to the client of its workspace root, starting the client if needed.
--- Returns the client id.
function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local root = util.find_root(vim.api.nvim_buf_get_name(bufnr))
  local client_id = M.clients[root]
  if client_id and util.client_alive(vim.lsp.get_client_by_id(client_id)) then
    if not vim.lsp.buf_is_attached(bufnr, client_id) then
      vim.lsp.buf_attach_client(bufnr, client_id)
    end
    return client_id
  end
  client_id = start_client(root, bufnr)
  M.clients[root] = client_id
  return client_id
end

local function maybe_attach(bufnr)
  if M.options.autostart and M.wants(bufnr) then
    M.attach(bufnr)
  end
end

--- Sends new settings to every running client (settings = { envbuilder = {...} }).
function M.update_settings(settings)
  M.options.settings = settings
  for _, client in ipairs(util.all_clients()) do
    if client.name == M.options.name then
      client.config.settings = settings
      client.settings = settings -- where workspace/configuration answers from, on 0.11 and later
      util.call(client, 'notify', 'workspace/didChangeConfiguration', { settings = settings })
    end
  end
end

-- Public API ---------------------------------------------------------------------------------

--- Builds the current buffer's workspace. opts: bufnr, target, overrides, no_cache, on_done.
function M.build(opts)
  opts = opts or {}
  local overrides = vim.deepcopy(opts.overrides or {})
  if opts.no_cache then
    overrides.noCache = true
  end
  build.build({ bufnr = opts.bufnr, target = opts.target, overrides = overrides, on_done = opts.on_done })
end

--- Builds and pushes. opts as for build(), plus images (list: pushed instead of the settings' image).
function M.push(opts)
  opts = opts or {}
  local overrides = vim.deepcopy(opts.overrides or {})
  if opts.images and #opts.images > 0 then
    overrides.image = #opts.images == 1 and opts.images[1] or opts.images
  end
  if opts.no_cache then
    overrides.noCache = true
  end
  build.build({ bufnr = opts.bufnr, target = opts.target, overrides = overrides, push = true,
    on_done = opts.on_done })
end

--- Cancels the current buffer's workspace builds. opts: bufnr, target, on_done.
function M.cancel(opts)
  build.cancel(opts)
end

M.open_log = handlers.open_log
M.log_buffer = handlers.log_buffer
M.find_root = util.find_root

--- The handlers to give an lspconfig (or hand-made) client so that progress, build output and
--- messages are shown.
function M.handlers()
  return client_handlers()
end

--- Current build step of the buffer's client, for a statusline ('' when idle).
function M.status(bufnr)
  local client = build.client_for(bufnr)
  return client and handlers.progress_text[client.id] or ''
end

function M.setup(opts)
  M.options = vim.tbl_deep_extend('force', vim.deepcopy(defaults), opts or {})
  -- Lists are replaced, not merged.
  if opts and opts.cmd then
    M.options.cmd = opts.cmd
  end
  if opts and opts.filetypes then
    M.options.filetypes = opts.filetypes
  end
  require('envbuilder.commands').create()
  local group = vim.api.nvim_create_augroup('envbuilder', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = '*',
    callback = function(args)
      maybe_attach(args.buf)
    end,
  })
  -- Buffers opened before setup().
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) then
      maybe_attach(bufnr)
    end
  end
  setup_done = true
end

function M.is_setup()
  return setup_done
end

return M
